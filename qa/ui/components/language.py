"""The interface language of a script run: chosen, applied (text, direction, font), changed.

Signed in, the language is the user's own (set by an admin or by themselves in the sidebar);
on the sign-in page it is what the visitor picked there, else the browser's language. For a
right-to-left language the whole page is mirrored by CSS: navigation, forms, columns, metrics,
and text in Vazirmatn, served from `static/` like everything else the app shows.
"""

from __future__ import annotations

import streamlit as st

from languages import SOURCE_LANGUAGE, Language, codes, find, get, registry
from qa.i18n import _, current_language, set_language
from qa.queries.access import Viewer
from qa.queries.users import change_language
from qa.ui.components.time import browser_language
from qa.ui.session import db_session

SIGN_IN_LANGUAGE_KEY = "sign_in_language"
SIDEBAR_LANGUAGE_KEY = "sidebar_language"
FONT_URL = "app/static/fonts/Vazirmatn-{weight}.woff2"

_FONT_FACES = "".join(
    f"@font-face {{ font-family: Vazirmatn; font-weight: {number}; font-display: swap;"
    f' src: url("{FONT_URL.format(weight=weight)}") format("woff2"); }}'
    for weight, number in (("Regular", 400), ("Bold", 700))
)
# Streamlit draws with flexbox, so `direction: rtl` on the app mirrors the layout; code, ids
# and the YAML editor stay left to right, and <bdi> keeps mixed-direction runs apart.
_RTL_STYLE = """
[data-testid="stApp"], [data-testid="stSidebar"], [data-testid="stMain"],
[data-testid="stToast"], div[role="dialog"], div[data-baseweb="popover"] { direction: rtl; }
[data-testid="stApp"], div[data-baseweb="popover"], [data-testid="stApp"] h1,
[data-testid="stApp"] h2, [data-testid="stApp"] h3, [data-testid="stApp"] p,
[data-testid="stApp"] label, [data-testid="stApp"] input, [data-testid="stApp"] button,
[data-testid="stApp"] li, [data-testid="stApp"] [data-testid="stMetricValue"] {
  font-family: Vazirmatn, "Source Sans", sans-serif !important; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"],
[data-testid="stWidgetLabel"], [data-testid="stMetric"], h1, h2, h3 { text-align: right; }
[data-testid="stApp"] [data-testid="stCode"], [data-testid="stApp"] pre,
[data-testid="stApp"] code, [data-testid="stApp"] [class*="st-key-yaml-"] textarea,
[data-testid="stApp"] [data-testid="stCode"] * {
  direction: ltr; text-align: left; font-family: "Source Code Pro", monospace; }
[data-testid="stSidebar"] { border-left: 1px solid rgba(49, 51, 63, .1); }
"""


def browser_default() -> str:
    """The browser's language when callqa has it, else English."""
    code = browser_language()
    return code if code is not None and find(code) is not None else SOURCE_LANGUAGE


def apply_language(viewer: Viewer | None) -> Language:
    """Set this run's language (the viewer's, or the sign-in page's choice) and style the page."""
    if viewer is not None:
        code = viewer.language
    else:
        code = st.session_state.get(SIGN_IN_LANGUAGE_KEY) or browser_default()
    set_language(code)
    language = current_language()
    style = _FONT_FACES + (_RTL_STYLE if language.rtl else "")
    st.html(f"<style>{style}</style>")
    return language


def _native_name(code: str) -> str:
    return get(code).native_name


def sign_in_language_picker() -> None:
    """Before signing in: the visitor's language, the browser's by default."""
    current = current_language().code
    st.selectbox(
        _("Language"),
        codes(),
        index=codes().index(current),
        format_func=_native_name,
        key=SIGN_IN_LANGUAGE_KEY,
    )


def language_picker(viewer: Viewer) -> None:
    """The signed-in user's own language, in the sidebar, saved as soon as it is picked.

    The picker always shows the language stored for the user (an admin may have changed it on
    the Users page); the change is saved in a callback, before this run reads the user again.
    """
    st.session_state[SIDEBAR_LANGUAGE_KEY] = viewer.language
    st.selectbox(
        _("Language"),
        codes(),
        format_func=_native_name,
        key=SIDEBAR_LANGUAGE_KEY,
        on_change=_save_language,
        args=(viewer,),
    )


def _save_language(viewer: Viewer) -> None:
    with db_session() as session:
        change_language(session, viewer, viewer.user_id, st.session_state[SIDEBAR_LANGUAGE_KEY])


def language_names() -> dict[str, str]:
    """Each language's code and its own name, for pages that let an admin pick one."""
    return {language.code: language.native_name for language in registry()}
