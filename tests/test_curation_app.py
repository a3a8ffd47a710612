"""The app's correcting actions through streamlit.testing: absent unless enabled, behind a token when one is
set, each confirmed before it is written, undone from the profile or the Corrections page, and a clear
message (no crash, nothing written) while another process writes the store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from curation_helpers import GOOG, K8S, MS, MSC, build, iri
from streamlit.testing.v1 import AppTest

from kg import queries
from kg.curation import actions
from kg.store import EmbeddedStore

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        build(s, tmp_path / "articles")
    monkeypatch.setenv("ECOKG_STORE", str(path))
    monkeypatch.delenv("ECOKG_CURATE", raising=False)
    monkeypatch.delenv("ECOKG_CURATE_TOKEN", raising=False)
    return path


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def profile(entity: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["entity"] = entity
    at.switch_page("ecokg/ui/pages/profile.py")
    return run(at)


def corrections_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("ecokg/ui/pages/corrections.py")
    return run(at)


def keys(at: AppTest) -> set[str]:
    out = set()
    for kind in ("button", "selectbox", "text_input", "radio"):
        out |= {w.key for w in getattr(at, kind) if w.key}
    return out


def stored(path: Path):
    with EmbeddedStore(path, read_only=True) as s:
        return actions.list_corrections(s)


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.error, *at.warning, *at.success, *at.info, *at.caption, *at.text))


def test_no_correcting_actions_unless_enabled(store_path):
    at = profile(iri(MS))
    assert not any(k.startswith("cur_") for k in keys(at))
    assert "Correct" not in [h.value for h in at.subheader]
    at = corrections_page()
    assert not any(k.startswith("cur_") for k in keys(at))
    assert "Correcting is off" in texts(at) and "No corrections yet" in texts(at)


def test_reject_an_evidence_row_confirm_then_undo(store_path, monkeypatch):
    monkeypatch.setenv("ECOKG_CURATE", "1")
    at = profile(iri(MS))
    row = at.selectbox(key="cur_row")
    pick = next(o for o in row.options if "competesWith" in o and "cloud search" in o)
    row.set_value(row.options.index(pick) - 1)  # values are row numbers; the first option is the entity itself
    run(at)
    at.selectbox(key="cur_action").set_value("Reject this fact in this article")
    at.text_input(key="cur_why").input("the sentence compares them, no rivalry")
    run(at)
    at.button(key="cur_apply").click()
    run(at)
    assert any("Confirm: reject" in w.value for w in at.warning)
    assert stored(store_path) == []  # nothing written before the confirmation
    at.button(key="cur_confirm").click()
    run(at)
    done = stored(store_path)
    assert [(c.kind, c.who, c.why) for c in done] == [("reject", "analyst", "the sentence compares them, no rivalry")]
    assert len(done[0].articles) == 1
    assert any("Done: reject" in s.value for s in at.success)
    with EmbeddedStore(store_path, read_only=True) as s:
        f = {(x.subject, x.predicate, x.object): x.articles for x in queries.facts(s)}
    assert f[(iri(MS), "competesWith", iri(GOOG))] == 1  # a4 still says it

    at.button(key=f"cur_undo_{done[0].id}").click()
    run(at)
    at.button(key="cur_confirm").click()
    run(at)
    assert not stored(store_path)[0].active


def test_rename_retype_and_merge_from_the_profile(store_path, monkeypatch):
    monkeypatch.setenv("ECOKG_CURATE", "1")
    at = profile(iri(GOOG))
    at.text_input(key="cur_who").input("ann")
    at.selectbox(key="cur_action").set_value("Rename")
    run(at)
    at.text_input(key="cur_name").input("Google LLC")
    at.text_input(key="cur_why").input("legal name")
    run(at)
    at.button(key="cur_apply").click()
    run(at)
    at.button(key="cur_cancel").click()  # a cancelled action writes nothing
    run(at)
    assert stored(store_path) == []
    at.button(key="cur_apply").click()
    run(at)
    at.button(key="cur_confirm").click()
    run(at)
    assert at.title[0].value == "Google LLC"
    assert [(c.kind, c.who, c.name) for c in stored(store_path)] == [("rename", "ann", "Google LLC")]

    at = profile(iri(K8S))
    at.selectbox(key="cur_action").set_value("Retype")
    run(at)
    at.selectbox(key="cur_type").set_value("Product")
    at.text_input(key="cur_why").input("software, not a company")
    run(at)
    at.button(key="cur_apply").click()
    run(at)
    at.button(key="cur_confirm").click()
    run(at)
    assert "Product" in at.caption[0].value

    at = profile(iri(MS))
    at.selectbox(key="cur_action").set_value("Merge with…")
    run(at)
    at.text_input(key="cur_merge_find").input("Microsoft Corp")
    at.text_input(key="cur_why").input("the same company")
    run(at)
    assert at.selectbox(key="cur_merge_into").value == iri(MSC)
    at.button(key="cur_apply").click()
    run(at)
    at.button(key="cur_confirm").click()
    run(at)
    merge = stored(store_path)[-1]
    assert (merge.kind, merge.entity, merge.into) == ("merge", iri(MSC), iri(MS))
    assert "3 article(s)" in at.caption[0].value


def test_token_guards_the_actions(store_path, monkeypatch):
    monkeypatch.setenv("ECOKG_CURATE", "1")
    monkeypatch.setenv("ECOKG_CURATE_TOKEN", "s3cret")
    at = profile(iri(MS))
    assert "cur_token" in keys(at) and "cur_action" not in keys(at)
    at.text_input(key="cur_token").input("guess")
    run(at)
    assert "cur_action" not in keys(at) and any("Wrong token" in e.value for e in at.error)
    at.text_input(key="cur_token").input("s3cret")
    run(at)
    assert "cur_action" in keys(at)


def test_corrections_page_lists_who_when_why_and_undoes(store_path, monkeypatch):
    with EmbeddedStore(store_path) as s:
        c = actions.rename(s, "Google", "Google LLC", who="ann", why="legal name")
    at = corrections_page()
    table = at.dataframe[0].value
    assert table.iloc[0][["id", "who", "why", "status"]].tolist() == [c.id, "ann", "legal name", "in force"]
    assert table.iloc[0]["correction"] == "rename Google to Google LLC"  # what it was called, what it is now
    assert "cur_undo" not in keys(at)  # listed read-only while correcting is off
    monkeypatch.setenv("ECOKG_CURATE", "1")
    at = corrections_page()
    at.button(key="cur_undo").click()
    run(at)
    at.button(key="cur_confirm").click()
    run(at)
    assert at.dataframe[0].value.iloc[0]["status"].startswith("undone")


def test_a_busy_store_gets_a_message_not_a_crash(store_path, monkeypatch):
    """An ingest (another process) holds the store for writing while the analyst confirms a correction."""
    from service_helpers import subprocess_env

    monkeypatch.setenv("ECOKG_CURATE", "1")
    at = profile(iri(GOOG))
    at.selectbox(key="cur_action").set_value("Not an entity")
    at.text_input(key="cur_why").input("test")
    run(at)
    at.button(key="cur_apply").click()
    run(at)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from kg.store import EmbeddedStore; s = EmbeddedStore(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(store_path)],
        stdout=subprocess.PIPE, text=True, env=subprocess_env(),
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        at.button(key="cur_confirm").click()
        run(at)
    finally:
        holder.terminate()
        holder.wait(10)
    assert any("The store is busy" in e.value and "Nothing was changed" in e.value for e in at.error)
    assert stored(store_path) == []


def test_streamlit_sign_in_required_when_configured(store_path, monkeypatch):
    """ECOKG_CURATE_AUTH=streamlit: nobody signed in, so no correcting actions, only the sign-in hint."""
    monkeypatch.setenv("ECOKG_CURATE", "1")
    monkeypatch.setenv("ECOKG_CURATE_AUTH", "streamlit")
    at = profile(iri(MS))
    assert "cur_action" not in keys(at) and "cur_who" not in keys(at)
    assert any("Sign in to correct" in i.value for i in at.info)
