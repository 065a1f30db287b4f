"""Which pages each role gets, and the wrapper that turns errors into messages.

The role decides the navigation; the query layer still checks every read, so a page reached
by a crafted URL shows an access message rather than data.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from qa.errors import QAError
from qa.i18n import N_, _
from qa.scorecard_errors import scorecard_error_text
from qa.storage.models import Role
from scorecards.errors import ScorecardError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    """A page: its module in `qa.ui.pages`, its title (English, translated where shown), icon
    and URL path (the key, the same in every language)."""

    key: str
    title: str
    icon: str

    @property
    def module(self) -> str:
        return f"qa.ui.pages.{self.key}"


PAGES: dict[str, PageSpec] = {
    spec.key: spec
    for spec in (
        PageSpec("login", N_("Sign in"), ":material/login:"),
        PageSpec("welcome", N_("Welcome"), ":material/home:"),
        PageSpec("dashboards", N_("Dashboards"), ":material/monitoring:"),
        PageSpec("review_queue", N_("Review queue"), ":material/fact_check:"),
        PageSpec("call_review", N_("Call review"), ":material/headphones:"),
        PageSpec("my_scores", N_("My scores"), ":material/insights:"),
        PageSpec("coaching", N_("Coaching"), ":material/school:"),
        PageSpec("scorecards_admin", N_("Scorecards"), ":material/rule:"),
        PageSpec("calls_admin", N_("Calls"), ":material/upload_file:"),
        PageSpec("export", N_("Export"), ":material/download:"),
        PageSpec("users_admin", N_("Users"), ":material/group:"),
        PageSpec("calibration", N_("Calibration"), ":material/balance:"),
        PageSpec("search", N_("Search"), ":material/search:"),
    )
}

# The first page of each list is where the role lands after signing in.
ROLE_PAGES: dict[Role, tuple[str, ...]] = {
    Role.admin: (
        "dashboards",
        "review_queue",
        "call_review",
        "coaching",
        "scorecards_admin",
        "calls_admin",
        "export",
        "users_admin",
        "calibration",
        "search",
    ),
    Role.lead: (
        "review_queue",
        "call_review",
        "calibration",
        "coaching",
        "dashboards",
        "export",
        "search",
    ),
    Role.reviewer: (
        "review_queue",
        "call_review",
        "dashboards",
        "export",
        "calibration",
        "search",
    ),
    Role.coach: ("coaching", "dashboards", "call_review", "export", "calibration", "search"),
    Role.agent: ("my_scores", "call_review", "search"),
    Role.client_viewer: ("dashboards", "export", "search"),
}


def page_available(key: str) -> bool:
    """Whether the page's module exists (pages owned by others may land later)."""
    return importlib.util.find_spec(PAGES[key].module) is not None


def pages_for(role: Role) -> list[str]:
    return [key for key in ROLE_PAGES[role] if page_available(key)]


def run_safely(render: Callable[[], None]) -> None:
    """Show expected errors as messages and unexpected ones without a traceback."""
    try:
        render()
    except QAError as error:
        st.error(str(error))
    except ScorecardError as error:
        st.error(scorecard_error_text(error))
    except Exception as error:  # noqa: BLE001 - the UI must never show a traceback
        log.exception("page failed")
        st.error(
            _("Something went wrong ({error}). The error has been logged.").format(
                error=type(error).__name__
            )
        )


def _renderer(spec: PageSpec) -> Callable[[], None]:
    def render() -> None:
        module = importlib.import_module(spec.module)
        run_safely(module.render)

    render.__name__ = spec.key
    return render


def streamlit_page(key: str, *, default: bool = False, hidden: bool = False) -> st.Page:
    """The st.Page of a page key; built the same way everywhere so st.switch_page finds it."""
    spec = PAGES[key]
    return st.Page(
        _renderer(spec),
        title=_(spec.title),
        icon=spec.icon,
        url_path=spec.key,
        default=default,
        visibility="hidden" if hidden else "visible",
    )


def signed_in_pages(keys: list[str]) -> list[st.Page]:
    """The role's pages in the menu, every other page's address registered but hidden.

    So an address the role has no page for (`/coaching` typed by an agent) reaches app.py,
    which sends the user home with a message, instead of Streamlit's "Page not found". The
    default page is a hidden root that app.py sends to the role's first page: Streamlit serves
    its default page only at `/`, so otherwise a link to that page by name (`/my_scores`) would
    be "not found".
    """
    root = st.Page(_renderer(PAGES["welcome"]), url_path="home", default=True, visibility="hidden")
    return [
        root,
        *(streamlit_page(key) for key in keys),
        *(streamlit_page(key, hidden=True) for key in PAGES if key not in keys),
    ]


def switch_to(key: str) -> None:
    st.switch_page(streamlit_page(key))


def sign_in_pages() -> list[st.Page]:
    """Signed out, every page's address shows the sign-in form (not "page not found").

    So a link to a page (`/call_review?call=12`) keeps its address and query while the user
    signs in, and the page itself opens right after.
    """
    login = PAGES["login"]
    return [
        st.Page(_renderer(login), title=login.title, url_path=spec.key, default=spec is login)
        for spec in PAGES.values()
    ]
