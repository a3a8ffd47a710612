"""The app's pages: scripts that st.navigation runs (a package only so installs ship them)."""
