"""ecokg's analyst app: `streamlit run app.py` (the store comes from $ECOKG_STORE, default data/store)."""

from ecokg.ui.shell import main

main()
