"""Response headers that keep the page safe, and CORS only when configured.

The chat page runs with a Content-Security-Policy that allows no inline script and no
outside origin. The /docs and /redoc pages load Swagger UI / ReDoc from this server
(fastapi-offline) with a small inline script, so they alone get a policy that allows it.
"""

from __future__ import annotations

import hmac

from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from pydantic import SecretStr

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (  # Swagger UI and ReDoc come from this server (fastapi-offline); their pages hold a small inline script
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; worker-src 'self' blob:"
)
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def security_headers(path: str) -> dict[str, str]:
    """The fixed headers every response carries."""
    return {**BASE_HEADERS, "Content-Security-Policy": DOCS_CSP if path in DOCS_PATHS else CSP}


def add_cors(app: FastAPI, origins: list[str]) -> None:
    """Cross-origin calls only from the configured origins (QA_CORS_ORIGINS); none otherwise."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
        max_age=600,
    )


def check_admin(token: SecretStr | None, authorization: str | None, what: str) -> None:
    """404 when no admin token is configured (the admin routes are off), 401 without the right Bearer token.

    The token is compared in constant time and never echoed or logged.
    """
    expected = token.get_secret_value() if token else ""
    if not expected:
        raise HTTPException(404, f"{what} over HTTP is disabled: no QA_ADMIN_TOKEN is configured")
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        raise HTTPException(
            401,
            "a valid 'Authorization: Bearer <token>' header is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
