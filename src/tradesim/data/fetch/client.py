"""One polite HTTP client for every source: a session, timeouts, retries that honour ``Retry-After``, a throttle,
a User-Agent that says who asks, a cap on the size of an answer, and one-line errors that name the fix.

Built on requests and urllib3's :class:`~urllib3.util.retry.Retry` (backoff on 429 and 5xx, the wait a
``Retry-After`` header asks, GET only). The cache is the vintage archive (:mod:`.archive`): an answer already
archived is reused without asking again until ``--refresh``, and a refresh sends the archived answer's
validators (``If-None-Match``, ``If-Modified-Since``), so an unchanged answer costs a 304. An API key is sent
only as a header the caller names (Comtrade's ``Ocp-Apim-Subscription-Key``); it is never part of a URL, so no
URL this module prints, logs or archives can hold it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from tradesim.errors import InputError

MAX_BYTES = 200 * 1024 * 1024  # an answer larger than this is no trade table: refused before it fills memory
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(InputError):
    """A fetch that cannot be done as asked: one line naming the host and the fix (exit 2)."""


def parse_json(body: bytes, where: str) -> object:
    """An answer's JSON; a page (HTML, XML) or a body that does not parse (truncated, nested past the parser's
    depth) refused in one line naming ``where``."""
    import json

    if body.lstrip()[:1] == b"<":
        raise InputError(
            f"{where}: the answer is an HTML page, not data (a sign-in, error or maintenance page?)"
        )
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InputError(
            f"{where}: the answer is not valid JSON ({exc.__class__.__name__}: {exc}); truncated?"
        ) from None


@dataclass(frozen=True)
class Request:
    """One call: where, with which parameters (never a key), and what it asks for in words."""

    source: str  # comtrade, wdi
    url: str  # scheme, host and path
    params: tuple[tuple[str, str], ...]
    what: str  # "KAZ → ITA, CHN exports and imports 2015–2025"
    role: str = "data"  # data; availability (Comtrade's release dates); page (a later page of a paged answer)
    base: str = ""  # the source's address the URL starts with (the official one, or a mirror's)

    @property
    def relative(self) -> str:
        """The request without its base: the same request whether asked of the source or of a mirror."""
        path = self.url[len(self.base) :] if self.base and self.url.startswith(self.base) else self.url
        return path + ("?" + urlencode(self.params, safe=",:") if self.params else "")

    @property
    def address(self) -> str:
        """The URL as sent (no key: it travels in a header)."""
        return self.url + ("?" + urlencode(self.params, safe=",:") if self.params else "")

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@dataclass(frozen=True)
class Answer:
    """What came back: status, the headers that matter later (validators, type, retry), the body as received."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    retrieved: (
        str  # UTC, ISO 8601 to the microsecond: 2026-12-07T08:01:02.123456Z (answers of one second ordered)
    )


@dataclass
class Client:
    """The session every request of a fetch goes through (see the module docstring)."""

    user_agent: str
    timeout: float = 60.0  # seconds to connect and between bytes of the answer
    retries: int = 4
    backoff: float = 1.0  # seconds: the first retry's wait, doubled each time (urllib3's backoff_factor)
    wait: float = 1.0  # at least this many seconds between two requests to one host
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request (the key's header)
    _last: dict[str, float] = field(default_factory=dict)
    _session: object | None = None

    def session(self) -> object:
        if self._session is None:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            retry = Retry(
                total=self.retries,
                connect=self.retries,
                read=self.retries,
                status=self.retries,
                backoff_factor=self.backoff,
                status_forcelist=RETRY_STATUSES,
                allowed_methods=frozenset({"GET"}),
                respect_retry_after_header=True,
                raise_on_status=False,
            )
            session = requests.Session()
            session.trust_env = True  # proxies from the environment, as any HTTP tool
            adapter = HTTPAdapter(max_retries=retry)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = self.user_agent
            session.headers["Accept-Encoding"] = "gzip, deflate"
            self._session = session
        return self._session

    def get(self, request: Request, validators: Mapping[str, str] | None = None) -> Answer:
        """The answer to ``request`` (a 304 too: the caller keeps its archived body). Errors: :class:`FetchError`."""
        import requests

        session = self.session()
        assert isinstance(session, requests.Session)
        host = request.host
        since = time.monotonic() - self._last.get(host, -1e9)
        if since < self.wait:
            time.sleep(self.wait - since)
        headers = dict(self.headers)
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last-modified"):
                headers["If-Modified-Since"] = validators["last-modified"]
        retrieved = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        try:
            with session.get(
                request.url, params=list(request.params), headers=headers, timeout=self.timeout, stream=True
            ) as response:
                body = _read(response, host)
                status = response.status_code
                kept = {
                    k.lower(): v
                    for k, v in response.headers.items()
                    if k.lower() in ("etag", "last-modified", "content-type", "date", "retry-after")
                }
        except requests.exceptions.ConnectTimeout:
            raise FetchError(
                f"cannot reach {host} (no connection within {self.timeout:g} s): import a download, or use --offline"
            ) from None
        except requests.exceptions.ReadTimeout:
            raise FetchError(
                f"{host} sent nothing for {self.timeout:g} s ({request.what}): try again later, or use --offline"
            ) from None
        except requests.exceptions.RetryError as exc:
            raise FetchError(f"{host}: gave up after {self.retries} retries ({_reason(exc)})") from None
        except requests.exceptions.ConnectionError as exc:
            if _timed_out(exc):  # a read timeout, retried and given up on, comes back as a connection error
                raise FetchError(
                    f"{host} sent nothing for {self.timeout:g} s ({request.what}), {self.retries + 1} times: try "
                    "again later, or use --offline"
                ) from None
            raise FetchError(
                f"cannot reach {host} ({_reason(exc)}): import a download, or use --offline"
            ) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise FetchError(
                f"the answer from {host} was cut off ({_reason(exc)}): nothing written; fetch again"
            ) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"{host}: {exc.__class__.__name__} ({_reason(exc)})") from None
        finally:
            self._last[host] = time.monotonic()
        return Answer(status, kept, body, retrieved)


def _read(response: object, host: str) -> bytes:
    """The body, refused past :data:`MAX_BYTES`, and short of its stated length (a transfer cut off)."""
    import requests

    assert isinstance(response, requests.Response)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(1 << 16):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(
                f"the answer from {host} exceeds {MAX_BYTES >> 20} MB: no trade table is that large"
            )
        chunks.append(chunk)
    body = b"".join(chunks)
    stated = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding")
    if stated and stated.isdigit() and not encoded and len(body) < int(stated):
        raise FetchError(
            f"the answer from {host} was cut off ({len(body):,} of {int(stated):,} bytes): nothing written; fetch again"
        )
    return body


def _timed_out(exc: BaseException) -> bool:
    from urllib3.exceptions import MaxRetryError, ReadTimeoutError

    cause = exc.args[0] if exc.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, ReadTimeoutError)


def _reason(exc: BaseException) -> str:
    """An exception's last cause in a few words (urllib3 nests them), without a URL's query."""
    for _ in range(8):
        if exc.__context__ is None or not str(exc.__context__):
            break
        exc = exc.__context__
    text = str(exc) or exc.__class__.__name__
    if "Max retries exceeded" in text and "(Caused by" in text:
        text = text.split("(Caused by", 1)[1].rstrip(")")
    text = " ".join(text.split())
    return text[:160]
