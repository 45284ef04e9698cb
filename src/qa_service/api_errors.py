"""Error responses in words that say what to change: validation, unreadable bodies, 404, 405."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute

_UNREADABLE_BODY = "There was an error parsing the body"
_UNREADABLE_HINT = 'the request body could not be read as JSON; send a UTF-8 JSON object such as {"question": "..."}'
_NOT_FOUND = "no such page or API route; the chat page is at / and the API is listed at /docs"
_MAX_LISTED = 10  # validation problems named one by one; more are counted


def _json_invalid(loc: str, msg: str, err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    return f"the body is not valid JSON ({ctx.get('error', msg)}); send a JSON object"


def _missing(loc: str, msg: str, err: dict[str, Any]) -> str:
    return f"field '{loc}' is required" if loc else "a JSON body is required"


def _not_an_object(loc: str, msg: str, err: dict[str, Any]) -> str:
    return f'{loc or "the body"} must be a JSON object, e.g. {{"question": "..."}}'


_BY_KIND = {
    "json_invalid": _json_invalid,
    "extra_forbidden": lambda loc, msg, err: f"unknown field '{loc}': remove it",
    "missing": _missing,
    "model_attributes_type": _not_an_object,
    "dict_type": _not_an_object,
    "model_type": _not_an_object,
}


def error_text(err: dict[str, Any]) -> str:
    """One validation error in words that say what to change (never echoing the input)."""
    loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    words = _BY_KIND.get(str(err.get("type", "")))
    if words is not None:
        return words(loc, msg, err)
    return f"{loc}: {msg}" if loc else msg


def validation_message(exc: RequestValidationError) -> str:
    """Every problem of a request in one line, the first ten named."""
    errors = list(exc.errors())
    parts = [error_text(e) for e in errors[:_MAX_LISTED]]
    if len(errors) > _MAX_LISTED:
        parts.append(f"and {len(errors) - _MAX_LISTED} more problems")
    return "; ".join(parts) or "invalid request"


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": validation_message(exc)}, status_code=422)


def _api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route, including those of included routers (FastAPI keeps those nested)."""
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        nested = getattr(r, "original_router", None)  # FastAPI >= 0.12x: an included APIRouter
        if nested is not None:
            yield from _api_routes(nested.routes)


def _allowed_methods(request: Request, exc: StarletteHTTPException) -> str:
    """Every method of every route on the path (Starlette's Allow names only the first route's)."""
    methods = sorted(
        {
            m
            for r in _api_routes(request.app.router.routes)
            if r.path_regex.match(request.url.path)
            for m in r.methods or ()
        }
    )
    given = {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow", "")
    return ", ".join(methods) or given


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = _UNREADABLE_HINT if exc.detail == _UNREADABLE_BODY else exc.detail
    if exc.status_code == 404 and detail == "Not Found":
        detail = _NOT_FOUND
    headers = exc.headers
    if exc.status_code == 405 and detail == "Method Not Allowed":
        allow = _allowed_methods(request, exc)
        headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}
        headers["Allow"] = allow
        detail = f"{request.method} is not allowed here; use {allow or 'another method'}"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)


def add_error_handlers(app: FastAPI) -> None:
    """Every error a JSON `{"detail": ...}` that says what to change."""
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
