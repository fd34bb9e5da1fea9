"""Serving the dashboard: Voila with bounded memory, a friendly page for a wrong address, and a token off this machine.

``smartacct dashboard`` calls :func:`serve`, which

1. reads the params file (a bad one: exit code 2 before anything starts);
2. chooses the token: ``SMARTACCT_DASHBOARD_TOKEN`` when set; otherwise,
   for a host that is not this machine's loopback (``--host 0.0.0.0``),
   a new random one, printed in the address; on 127.0.0.1 alone, none;
3. checks the port (in use: exit code 2 naming it; Voila would quietly
   have taken the next one);
4. reads the data once, in a process of its own, and keeps it in a snapshot
   that every viewer's kernel opens in a fraction of the time the files
   take, with the answers no control changes (key accounts at risk, calls,
   year-one review) computed once; a file that changes later is read again
   by the next viewer (:func:`smartacct_helpers.dashboard.open_workbook`);
5. serves ``notebooks/dashboard.ipynb`` with Voila in this process until
   stopped (:class:`~smartacct_helpers.delivery.dashboard_voila.DashboardVoila`,
   imported only then).

**Bounded memory.** Every viewer gets a kernel of its own. Voila keeps
:data:`POOL_SIZE` kernels that have already computed the page
(``SMARTACCT_DASHBOARD_POOL`` changes how many), so the first viewers do
not wait; a kernel taken by a viewer is replaced :data:`REFILL_DELAY`
seconds later, once its page has loaded. A page closed in the browser
shuts its kernel down at once, and a kernel whose page went away without
saying so (a crashed browser, a lost connection) is culled once it has had
no connection for :data:`CULL_IDLE_TIMEOUT` seconds (checked every
:data:`CULL_INTERVAL`): a closed page frees its memory within about a
minute. Kernels talk to the server over files in a private folder, not
over TCP ports.

**Behind a reverse proxy** under a path, ``SMARTACCT_DASHBOARD_BASE_URL``
(``/smartacct/``) puts every address of the dashboard under that path.

**Clean edges.** The page's title is the client's name; it loads nothing
from outside the machine (Voila's page without its Font Awesome style
sheets, ``notebooks/dashboard_template``); any address but the dashboard's
gives a short page with a link to it; a viewer without the token gets a
page asking for the access key, never the data.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import os
import pickle
import secrets
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from ..exceptions import SmartacctError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PARAMS = ROOT / "data" / "sample" / "params.yaml"
DASHBOARD_NOTEBOOK = ROOT / "notebooks" / "dashboard.ipynb"
#: the environment variable that tells the notebook which params file to show
PARAMS_VARIABLE = "SMARTACCT_PARAMS"
#: the environment variable naming the reports folder whose kept reports give the dashboard its trends
REPORTS_VARIABLE = "SMARTACCT_REPORTS"
#: the environment variable naming the snapshot a kernel opens (``smartacct_helpers.workbook.SNAPSHOT``)
SNAPSHOT_VARIABLE = "SMARTACCT_WORKBOOK_SNAPSHOT"
#: the file in a dashboard's snapshot folder that records the data files it was read from
STAMPS_FILE = "stamps.json"
#: the file in a dashboard's snapshot folder that keeps the answers no control changes
ANSWERS_FILE = "answers.pickle"

#: the environment variable that holds the dashboard's token
TOKEN_VARIABLE = "SMARTACCT_DASHBOARD_TOKEN"
#: kernels that have already computed the page, waiting for the next viewers
POOL_SIZE = 2
#: the environment variable that changes :data:`POOL_SIZE` (0 to 10)
POOL_VARIABLE = "SMARTACCT_DASHBOARD_POOL"
#: seconds after a viewer took a ready kernel before the next one starts, so that it does not slow that page down
REFILL_DELAY = 6
#: the environment variable with the path the dashboard is served under behind a reverse proxy (``/smartacct/``)
BASE_URL_VARIABLE = "SMARTACCT_DASHBOARD_BASE_URL"
#: a kernel without any connection for this many seconds is shut down ...
CULL_IDLE_TIMEOUT = 40
#: ... checked this often (seconds)
CULL_INTERVAL = 10
#: the page template: Voila's "lab" page without anything from outside the machine
TEMPLATE_DIR = DASHBOARD_NOTEBOOK.parent / "dashboard_template"


class StartError(SmartacctError):
    """The dashboard cannot start: its port is in use, or its data cannot be read (exit code 2)."""


class PortInUse(StartError):
    """Another program listens on the dashboard's port."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        super().__init__(
            f"port {port} is already in use on {host}; stop the program using it, or choose another "
            f"port with --port (smartacct dashboard --port {port + 1})"
        )


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1")
    (True, True, True)
    >>> is_loopback("0.0.0.0"), is_loopback(""), is_loopback("192.168.1.20"), is_loopback("dashboard.example.com")
    (False, False, False, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def choose_token(host: str, environ=None) -> tuple[str | None, bool]:
    """The token the dashboard asks for, and whether it was generated here.

    ``SMARTACCT_DASHBOARD_TOKEN`` wins whatever the host; without it a host
    beyond the loopback gets a new random token, and the loopback none.

    >>> choose_token("127.0.0.1", {})
    (None, False)
    >>> choose_token("127.0.0.1", {"SMARTACCT_DASHBOARD_TOKEN": "s3cret"})
    ('s3cret', False)
    >>> token, generated = choose_token("0.0.0.0", {})
    >>> len(token) >= 32, generated
    (True, True)
    """
    environ = os.environ if environ is None else environ
    given = (environ.get(TOKEN_VARIABLE) or "").strip()
    if given:
        return given, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(24), True


def pool_size(environ=None) -> int:
    """The kernels kept ready: ``SMARTACCT_DASHBOARD_POOL`` (0 to 10) when set, else :data:`POOL_SIZE`.

    >>> pool_size({}), pool_size({"SMARTACCT_DASHBOARD_POOL": "1"})
    (2, 1)
    """
    environ = os.environ if environ is None else environ
    text = (environ.get(POOL_VARIABLE) or "").strip()
    if not text:
        return POOL_SIZE
    if not text.isdigit() or int(text) > 10:
        raise StartError(f"{POOL_VARIABLE} must be a whole number from 0 to 10, got {text!r}")
    return int(text)


def base_url(environ=None) -> str:
    """The path the dashboard answers under: ``SMARTACCT_DASHBOARD_BASE_URL`` (``/smartacct/``), else ``/``.

    >>> base_url({}), base_url({"SMARTACCT_DASHBOARD_BASE_URL": "smartacct"})
    ('/', '/smartacct/')
    """
    environ = os.environ if environ is None else environ
    text = (environ.get(BASE_URL_VARIABLE) or "").strip().strip("/")
    if any(c in text for c in "?#\\ ") or ".." in text.split("/"):
        raise StartError(f"{BASE_URL_VARIABLE} must be a path such as /smartacct/, got {text!r}")
    return f"/{text}/" if text else "/"


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortInUse` when ``port`` on ``host`` is taken (bound as the server binds it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host or "0.0.0.0", port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(host, port) from None
            raise StartError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def address(host: str, port: int, token: str | None, path: str = "/") -> str:
    """The address to open: the machine's name for every interface, the token in the query.

    >>> address("127.0.0.1", 8866, None)
    'http://127.0.0.1:8866/'
    >>> address("::1", 8866, "abc", "/smartacct/")
    'http://[::1]:8866/smartacct/?token=abc'
    """
    shown = socket.gethostname() if host in ("", "0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{path}" + (f"?token={token}" if token else "")


# -- reading the data once -------------------------------------------------------------------------------------


def data_files(params) -> list[Path]:
    """The data files a params file names (orders, customers, activities, market, assessments) that exist."""
    d = params.data
    names = [getattr(d, t, None) for t in ("orders", "customers", "activities", "market", "assessments")]
    paths = [params.path(n) for n in names if isinstance(n, str)]
    return [p for p in paths if p is not None and p.is_file()]


def file_stamps(params) -> dict[str, list[int]]:
    """Size and modification time of each data file (:func:`data_files`), to tell when a file changed."""
    out = {}
    for path in data_files(params):
        stat = path.stat()
        out[str(path.resolve())] = [stat.st_size, stat.st_mtime_ns]
    return out


def write_snapshot(params_file: Path, folder: Path) -> Path | None:
    """Read the data in a process of its own and keep it in ``folder``; None when it cannot be kept.

    The process ends once the snapshot is written, so this server never
    holds the data. Bad data stops the start with :class:`StartError`
    naming the file, row and column.
    """
    package_root = str(Path(__file__).resolve().parents[2])
    env = {k: v for k, v in os.environ.items() if k != SNAPSHOT_VARIABLE}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", __name__, "snapshot", str(params_file), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 2:
        raise StartError(done.stderr.strip() or "the data cannot be read")
    if done.returncode != 0:
        raise SmartacctError(f"reading the data failed: {done.stderr.strip()[-2000:]}")
    return folder if (folder / STAMPS_FILE).is_file() else None


def _snapshot_main(argv: list[str]) -> int:
    """``python -m smartacct_helpers.delivery.dashboard_server snapshot PARAMS FOLDER``: the process of :func:`write_snapshot`."""
    from ..exceptions import InputDataError, ParamsError
    from ..facts.workbook import Workbook
    from ..params import load_params

    _, params_file, folder = argv
    try:
        params = load_params(params_file)
        stamps = file_stamps(params)
        workbook = Workbook.open(params)
    except (ParamsError, InputDataError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if workbook.save_snapshot(folder) is not None:
        from .dashboard_answers import fixed_answers

        with open(Path(folder) / ANSWERS_FILE, "wb") as file:
            pickle.dump({"params": params, "answers": fixed_answers(workbook)}, file, protocol=pickle.HIGHEST_PROTOCOL)
        (Path(folder) / STAMPS_FILE).write_text(json.dumps(stamps), encoding="utf-8")
    return 0


# -- Voila -----------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:;base64,=">
<style>body{{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;color:#222;
margin:12vh auto;max-width:560px;padding:0 20px;line-height:1.5}}h1{{color:#1f4e79;font-size:1.5em}}
a{{color:#1f4e79;font-weight:600}}input{{font-size:1em;padding:6px 8px;width:100%;box-sizing:border-box;margin:6px 0 10px}}
button{{font-size:1em;padding:6px 18px;background:#1f4e79;color:white;border:0;border-radius:3px}}
.error{{color:#c0392b}}</style></head><body>{body}</body></html>"""


def not_found_page(base_url: str = "/", title: str = "Page not found") -> str:
    """The page for an address the dashboard does not have, with a link to the dashboard.

    >>> "href='/'" in not_found_page()
    True
    """
    body = (
        f"<h1>There is no such page</h1><p>This address is not part of the dashboard. "
        f"<a href='{html.escape(base_url)}'>Open the dashboard</a>.</p>"
    )
    return PAGE.format(title=html.escape(title), body=body)


def access_key_page(action: str, next_url: str, xsrf_field: str, wrong: bool = False) -> str:
    """The page a viewer without the token gets: what the key is and a field to enter it; no data."""
    error = "<p class='error'>That is not the access key.</p>" if wrong else ""
    body = (
        "<h1>This dashboard needs an access key</h1>"
        "<p>Open the address that <code>smartacct dashboard</code> printed when it started (it ends in "
        "<code>?token=...</code>), or ask whoever runs the dashboard for the key and enter it here.</p>"
        f"{error}<form method='post' action='{html.escape(action)}'>{xsrf_field}"
        f"<input type='hidden' name='next' value='{html.escape(next_url)}'>"
        "<label for='password'>Access key</label><input type='password' id='password' name='password' "
        "autocomplete='off' autofocus><button type='submit'>Open the dashboard</button></form>"
    )
    return PAGE.format(title="Access key needed", body=body)


def voila_config(client: str, host: str, port: int, token: str | None, pool_size: int = POOL_SIZE, path: str = "/"):
    """The Voila settings of the dashboard (see the module)."""
    from traitlets.config import Config

    c = Config()
    c.Voila.base_url = path
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.open_browser = False
    c.Voila.root_dir = str(DASHBOARD_NOTEBOOK.parent)
    c.Voila.token = token
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.template = "lab"
    c.VoilaConfiguration.preheat_kernel = True
    c.VoilaConfiguration.default_pool_size = pool_size
    c.VoilaKernelManager.fill_delay = REFILL_DELAY
    c.VoilaConfiguration.resources = {"metadata": {"name": client}}  # the page's title
    c.VoilaConfiguration.extension_denylist = ["jupyterlab_pygments"]  # colours code, and the page shows none
    c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_TIMEOUT
    c.MappingKernelManager.cull_interval = CULL_INTERVAL
    c.MappingKernelManager.cull_connected = False  # a page still open keeps its kernel
    c.KernelManager.transport = "ipc"  # kernels talk over files in a private folder, not TCP ports
    return c


def serve(
    params_file: str | Path | None = None, port: int = 8866, host: str = "127.0.0.1", reports: str | Path | None = None
) -> int:
    """Serve the dashboard until stopped (Ctrl+C, or SIGTERM from a service manager); returns 0.

    ``reports`` is the folder ``smartacct report --out`` writes to: with two
    or more kept reports of the client there, the tab "Did it work?" shows
    their trends.

    Raises
    ------
    ParamsError
        A bad params file (exit code 2), before anything starts.
    StartError
        The port is in use, or the data cannot be read (exit code 2).
    """
    from ..params import load_params

    params_path = Path(params_file).resolve() if params_file else SAMPLE_PARAMS
    params = load_params(params_path)  # a bad params file stops here with exit code 2
    token, generated = choose_token(host)
    pool, path = pool_size(), base_url()
    check_port(host, port)
    from .dashboard_voila import DashboardVoila  # Voila itself is imported only to serve

    print(f"Reading the data of {params.client} ({params_path}) ...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="smartacct-dashboard-") as folder:
        snapshot = write_snapshot(params_path, Path(folder))
        os.environ[PARAMS_VARIABLE] = str(params_path)
        if reports:
            os.environ[REPORTS_VARIABLE] = str(Path(reports).resolve())
        if snapshot is not None:
            os.environ[SNAPSHOT_VARIABLE] = str(snapshot)
        url = address(host, port, token, path)
        if token and not generated:
            url = url.replace(f"token={token}", f"token=<{TOKEN_VARIABLE}>")
        print(f"Dashboard for {params.client} on {url} (Ctrl+C stops it)", file=sys.stderr, flush=True)
        if not is_loopback(host):
            print(
                "Anyone who can reach this machine and has the address with its token sees the dashboard.",
                file=sys.stderr,
                flush=True,
            )
        app = DashboardVoila(config=voila_config(params.client, host, port, token, pool, path))
        app.initialize([str(DASHBOARD_NOTEBOOK)])
        app.start()
    return 0


if __name__ == "__main__":  # pragma: no cover - the process of write_snapshot
    if len(sys.argv) == 4 and sys.argv[1] == "snapshot":
        sys.exit(_snapshot_main(sys.argv[1:]))
    sys.exit("usage: python -m smartacct_helpers.delivery.dashboard_server snapshot PARAMS FOLDER")
