"""The chat page: plain HTML, CSS and JS served from the package, no build step."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).parent / "web"
router = APIRouter(include_in_schema=False)


@router.get("/")
def page() -> FileResponse:
    """The chat page, at the root so the service is usable from a browser with no path to know."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html")


def mount_static(app: FastAPI) -> None:
    """The page's scripts, styles and images under /static."""
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
