"""Security a static host can carry: a Content-Security-Policy that allows nothing off-site.

Material inlines two small scripts per page; they are allowed by hash, not by 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
CHARSET = re.compile(r'<meta charset="utf-8">')
# Material marks its state toggles autocomplete="off", which HTML allows only on text-like inputs.
TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
LINK_TAG = re.compile(r'<a (?![^>]*\brel=)([^>]*href="((?:https?:)?//[^"]+)"[^>]*)>')
REFERRER_POLICY = "no-referrer"


def script_hashes(html: str) -> list[str]:
    return sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in INLINE_SCRIPT.findall(html)
    })


def policy(hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *hashes])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def harden(html: str, own_origin: str = "") -> tuple[str, list[str]]:
    """Add the CSP and referrer meta after the charset, fix Material's invalid toggles, mark external links."""
    hashes = script_hashes(html)
    meta = (f'<meta charset="utf-8">\n      <meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
            f'\n      <meta name="referrer" content="{REFERRER_POLICY}">')
    html = CHARSET.sub(meta, html, count=1)
    html = TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
    def mark_external(match: re.Match) -> str:
        if own_origin and match.group(2).startswith(own_origin):
            return match.group(0)
        return f'<a rel="noopener noreferrer" {match.group(1)}>'

    html = LINK_TAG.sub(mark_external, html)
    return html, hashes


def headers_file(hashes: set[str]) -> str:
    """_headers for hosts that read one (Netlify, Cloudflare Pages): the same policy, plus what meta cannot set."""
    return "\n".join([
        "/*",
        f"  Content-Security-Policy: {policy(sorted(hashes))}; frame-ancestors 'none'",
        f"  Referrer-Policy: {REFERRER_POLICY}",
        "  X-Content-Type-Options: nosniff",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "",
    ])
