"""The app's correcting actions: a widget for the entity profile and the list behind the Corrections page.

Off unless the deployment enables them (``ECOKG_CURATE=1``); with
``ECOKG_CURATE_TOKEN`` set, an analyst types the token first (compared in
constant time); with ``ECOKG_CURATE_AUTH=streamlit``, only a user signed in
through Streamlit's own authentication (``st.login``) may correct, under their
e-mail or name. Every write goes through ``kg.curation.actions``, the
functions ``ecokg curate`` calls, on a store opened for writing only for that
write: when another process (an ingest) is writing, the analyst reads that
the store is busy and nothing changes. Each action asks for a confirmation,
and each correction can be undone.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

import pandas as pd
import streamlit as st

from ecokg.ui import data, state
from ecokg.ui.data import Snapshot
from ecokg.ui.safe import md
from kg.curation import actions
from kg.curation.model import Correction, CurationError
from kg.model import ENTITY_TYPES
from kg.namespace import local_name
from kg.store import Store, StoreError, StoreLockedError, open_store

ENABLE_VAR, TOKEN_VAR, AUTH_VAR = "ECOKG_CURATE", "ECOKG_CURATE_TOKEN", "ECOKG_CURATE_AUTH"
ENTITY_ACTIONS = ("Rename", "Retype", "Merge with…", "Not an entity")
FACT_ACTIONS = ("Reject this fact in this article", "Reject this fact everywhere")
MAX_ROWS = 500  # evidence rows offered in the picker (a hub has thousands; the CSV has them all)


def enabled() -> bool:
    """Whether this deployment lets analysts correct (off by default: the app is read-only)."""
    return os.environ.get(ENABLE_VAR, "").strip().lower() in ("1", "true", "yes", "on")


def _streamlit_user() -> str | None:
    user = getattr(st, "user", None)
    try:
        if user is not None and user.is_logged_in:
            return str(user.get("email") or user.get("name") or "signed-in user")
    except (AttributeError, KeyError, StoreError):
        return None
    return None


def authorized() -> bool:
    """Enabled, and the token typed (or the Streamlit sign-in done) where the deployment asks for one.

    Draws the token box or the sign-in hint when one is needed.
    """
    if not enabled():
        return False
    if os.environ.get(AUTH_VAR, "").strip().lower() == "streamlit" and _streamlit_user() is None:
        st.info("Sign in to correct the graph.")
        if hasattr(st, "login") and st.button("Sign in", key="cur_login"):
            st.login()
        return False
    token = os.environ.get(TOKEN_VAR)
    if token:
        typed = st.text_input("Curation token", type="password", key="cur_token",
                              help="This deployment asks for a token before the graph can be corrected.")
        if not hmac.compare_digest(typed.encode("utf-8"), token.encode("utf-8")):
            if typed:
                st.error("Wrong token: the correcting actions stay off.")
            return False
    return True


def who() -> str:
    """Who corrects: the signed-in user, else the name typed (default $ECOKG_USER or 'analyst')."""
    signed = _streamlit_user()
    if signed:
        return signed
    default = os.environ.get("ECOKG_USER") or "analyst"
    return st.session_state.get("cur_who") or default


def _writer() -> Store:
    loc = state.location()
    if loc.startswith(("http://", "https://")):
        return open_store(loc)  # a SPARQL server: the correction is one SPARQL Update
    return state.open_writer()


def write(fn: Callable[..., Correction], *args: object, **kwargs: object) -> Correction | None:
    """Run one correction on a briefly opened writer; a busy store or a refused correction is a message."""
    try:
        store = _writer()
    except StoreLockedError as exc:
        st.error(f"The store is busy: {md(exc)}. Nothing was changed; try again when the other writer has finished.")
        return None
    except StoreError as exc:
        st.error(f"Cannot write the store: {md(exc)}")
        return None
    try:
        done = fn(store, *args, **kwargs)
    except CurationError as exc:
        st.error(f"Not done: {md(exc)}")
        return None
    except StoreError as exc:
        st.error(f"Writing failed, nothing was changed: {md(exc)}")
        return None
    finally:
        store.close()
    if state.location().startswith(("http://", "https://")):
        st.cache_resource.clear()  # a server has no generation stamp to watch: read it afresh
    return done


# ------------------------------------------------------------------ confirm, then write
_FUNCS: dict[str, Callable[..., Correction]] = {
    "merge": actions.merge, "rename": actions.rename, "retype": actions.retype, "not-entity": actions.not_entity,
    "reject": actions.reject, "undo": actions.undo,
}


def _ask(kind: str, summary: str, *args: object, **kwargs: object) -> None:
    """Hold the action for confirmation, shown at the top of the widget on the rerun this starts."""
    st.session_state["cur_pending"] = {"kind": kind, "summary": summary, "args": args, "kwargs": kwargs}
    st.rerun()


def _confirmation() -> None:
    """The pending action with Confirm / Cancel; on Confirm it is written and the page reruns."""
    pending = st.session_state.get("cur_pending")
    if not pending:
        done = st.session_state.pop("cur_done", None)
        if done:
            st.success(done)
        return
    st.warning(f"Confirm: {md(pending['summary'])}")
    c1, c2 = st.columns(2)
    if c1.button("Confirm", key="cur_confirm", type="primary"):
        st.session_state.pop("cur_pending", None)
        kwargs = dict(pending["kwargs"], who=who())
        done = write(_FUNCS[pending["kind"]], *pending["args"], **kwargs)
        if done is not None:
            verb = "Undone" if pending["kind"] == "undo" else "Done"
            st.session_state["cur_done"] = f"{verb}: {md(pending['summary'])} ({done.id})"
            st.session_state["_cur_reset"] = True  # a fresh form for the next correction
            st.rerun()
    if c2.button("Cancel", key="cur_cancel"):
        st.session_state.pop("cur_pending", None)
        st.rerun()


# ------------------------------------------------------------------ the profile widget
def profile_actions(snap: Snapshot, iri: str, lang: str) -> None:
    """Correct this entity, or one of its evidence rows; the undo list of what touches it."""
    if not enabled():
        return
    st.subheader("Correct")
    if not authorized():
        return
    if st.session_state.pop("_cur_reset", False):  # set before the widgets exist: the browser shows it
        st.session_state.update(cur_row=-1, cur_name="", cur_why="", cur_merge_find="")
    st.text_input("Your name", key="cur_who", value=None, placeholder=who(),
                  help="Kept with each correction (who, when, why).")
    _confirmation()
    names = snap.labels(lang)
    rows = data.entity_assertions(snap, iri)[:MAX_ROWS]
    pick = st.selectbox(  # -1: the entity itself (None would read as "nothing chosen")
        "What to correct", [-1, *range(len(rows))], key="cur_row",
        format_func=lambda i: f"this entity: {names.get(iri, iri)}" if i < 0 else _row_text(rows[i], iri, names),
        help="The entity itself, or one evidence row (a fact as one article states it): its fact, or the other "
             "entity it names.",
    )
    row = rows[pick] if 0 <= pick < len(rows) else None
    target = iri if row is None else (row["o"] if row["s"] == iri else row["s"])
    choices = ENTITY_ACTIONS if row is None else (*FACT_ACTIONS, *(f"{a} (the other entity)" for a in ENTITY_ACTIONS))
    action = st.selectbox("Action", choices, key="cur_action").removesuffix(" (the other entity)")
    why = st.text_input("Why", key="cur_why", placeholder="the reason, kept with the correction")
    label = names.get(target, local_name(target))
    if action == "Rename":
        new = st.text_input("New name", key="cur_name")
        if st.button("Rename…", key="cur_apply"):
            _ask("rename", f"rename {label} to {new}", target, new, why=why)
    elif action == "Retype":
        cur = snap.entities["type"].get(target, "")
        t = st.selectbox("New type", [x for x in ENTITY_TYPES if x != cur], key="cur_type")
        if st.button("Retype…", key="cur_apply"):
            _ask("retype", f"retype {label} ({cur or 'untyped'}) as {t}", target, t, why=why)
    elif action == "Merge with…":
        other = _entity_picker(snap, target, names)
        keep = st.radio("Keep", ["this one", "the other"], key="cur_keep", horizontal=True,
                        help="The name and identity kept; the other's names become its aliases.")
        if other and st.button("Merge…", key="cur_apply"):
            a, b = (other, target) if keep == "this one" else (target, other)
            _ask("merge", f"merge {names.get(a, a)} into {names.get(b, b)}", a, b, why=why)
    elif action == "Not an entity":
        if st.button("Mark as not an entity…", key="cur_apply"):
            _ask("not-entity", f"{label} is not an entity (it and its facts leave every view)", target, why=why)
    elif row is not None:
        fact = f"{names.get(row['s'], row['s'])} {row['p']} {names.get(row['o'], row['o'])}"
        if action == FACT_ACTIONS[0] and st.button("Reject…", key="cur_apply"):
            _ask("reject", f"reject {fact} in {local_name(str(row['art']))}", row["s"], row["p"], row["o"],
                 article=row["art"], why=why)
        elif action == FACT_ACTIONS[1] and st.button("Reject everywhere…", key="cur_apply"):
            _ask("reject", f"reject {fact} everywhere", row["s"], row["p"], row["o"], why=why)
    _undo_list(snap, iri, names)


def _row_text(r: dict, iri: str, names: dict[str, str]) -> str:
    out = r["s"] == iri
    other = names.get(r["o"] if out else r["s"], "")
    ev = str(r.get("evidence") or "").replace("\n", " ")
    src = str(r.get("title") or local_name(str(r["art"])))
    return f"{r['p']} {'→' if out else '←'} {other} · {src[:40]} · {ev[:80]}"


def _entity_picker(snap: Snapshot, current: str, names: dict[str, str]) -> str | None:
    find = st.text_input("Merge with (name or alias)", key="cur_merge_find")
    if not find.strip():
        return None
    hits = [e for e in data.search_entities(snap, find) if e != current]
    hits.sort(key=lambda e: -int(snap.entities.at[e, "articles"]))
    if not hits:
        st.caption("No entity matches.")
        return None
    return st.selectbox("The other entity", hits[:20], key="cur_merge_into",
                        format_func=lambda e: f"{names.get(e, e)} ({snap.entities.at[e, 'type'] or 'untyped'})")


def _undo_list(snap: Snapshot, iri: str, names: dict[str, str]) -> None:
    mine = [c for c in _corrections() if c.active and iri in _touches(c)]
    names = {**names, **extracted_names(state.lang())}
    st.markdown("**Corrections of this entity**")
    if not mine:
        st.caption("None in force.")
        return
    for c in mine:
        c1, c2 = st.columns([5, 1])
        c1.text(f"{c.id} · {c.summary(lambda i: names.get(i, local_name(i or '')))} · {c.who}, {c.when[:16]} · {c.why}")
        if c2.button("Undo", key=f"cur_undo_{c.id}"):
            _ask("undo", f"undo {c.id}: {c.summary(lambda i: names.get(i, local_name(i or '')))}", c.id)


def _touches(c: Correction) -> set[str]:
    out = {x for x in (c.entity, c.into) if x}
    if c.fact:
        out.update((c.fact[0], c.fact[2]))
    return out


def _corrections() -> list[Correction]:
    try:
        return actions.list_corrections(state.store())
    except StoreError:
        return []


@st.cache_resource(max_entries=2, show_spinner=False)
def _raw_labels(loc: str, gen: int) -> dict[str, dict[str, str]]:
    from kg import queries

    return queries.raw_labels(state.store())


def extracted_names(lang: str) -> dict[str, str]:
    """Entity names as extracted (before corrections): what a correction's summary speaks of."""
    try:
        raw = _raw_labels(state.location(), state.generation())
    except StoreError:
        return {}
    return {e: v.get(lang) or v.get("en") or next(iter(v.values()), "") for e, v in raw.items()}


# ------------------------------------------------------------------ the Corrections page
def corrections_table(corrections: list[Correction], names: dict[str, str]) -> pd.DataFrame:
    """Every correction with who, when, why and whether it is in force (text only, for st.dataframe)."""
    label = lambda i: names.get(i, local_name(i or ""))  # noqa: E731
    return pd.DataFrame(
        [{"id": c.id, "correction": c.summary(label), "who": c.who, "when": c.when[:19].replace("T", " "), "why": c.why,
          "status": "in force" if c.active else f"undone {c.undone_at} by {c.undone_by}"} for c in corrections],
        columns=["id", "correction", "who", "when", "why", "status"],
    )


def corrections_page(snap: Snapshot | None, lang: str) -> None:
    st.title("Corrections")
    st.caption("What analysts changed, on top of what ecokg extracted: kept in the curation graph, applied to "
               "every page and export (raw SPARQL sees what was extracted); ingesting or removing an article keeps them.")
    names = {**(snap.labels(lang) if snap is not None else {}), **extracted_names(lang)}
    rows = _corrections()
    if not rows:
        st.info("No corrections yet.")
    else:
        st.dataframe(corrections_table(rows, names), hide_index=True, key="cur_table")
    if not enabled():
        st.caption("Correcting is off in this app (set ECOKG_CURATE=1 where it is served to turn it on).")
        return
    if not authorized():
        return
    _confirmation()
    active = [c for c in rows if c.active]
    if active:
        pick = st.selectbox("Undo a correction", [c.id for c in active], key="cur_undo_pick",
                            format_func=lambda i: next(f"{c.id} · {c.summary(lambda x: names.get(x, local_name(x or '')))}"
                                                       for c in active if c.id == i))
        if st.button("Undo…", key="cur_undo"):
            _ask("undo", f"undo {pick}", pick)
