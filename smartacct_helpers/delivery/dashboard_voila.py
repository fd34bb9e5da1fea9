"""What Voila serves as the dashboard: the dashboard at its own address, friendly pages at every other.

:class:`DashboardVoila` is Voila serving the one dashboard notebook
(:func:`smartacct_helpers.delivery.dashboard_server.serve` starts it with
:func:`~smartacct_helpers.delivery.dashboard_server.voila_config`), with
the edges a manager should see:

* the page template of :data:`~smartacct_helpers.delivery.dashboard_server.TEMPLATE_DIR`
  (nothing asked of another machine, the client's name as the title);
* the dashboard at its address alone, and :class:`NotFound`'s short page
  with a link to it at any other (Voila's notebook files included);
* :class:`AccessKey`, the page a viewer without the token gets, asking for
  the access key and showing nothing else;
* on a port in use, :class:`~smartacct_helpers.delivery.dashboard_server.PortInUse`
  instead of Voila's quiet move to the next port.

A module of its own because it imports Voila, which takes a while:
``smartacct dashboard`` imports it only once the params file, the token
and the port have been checked.
"""

from __future__ import annotations

import errno

import tornado.ioloop
import tornado.web
from jupyter_server.utils import url_path_join
from voila.app import Voila
from voila.voila_identity_provider import VoilaLoginHandler

from .dashboard_server import TEMPLATE_DIR, PortInUse, access_key_page, not_found_page


class NotFound(tornado.web.RequestHandler):
    """Any address but the dashboard's: a friendly page with a link to it."""

    def initialize(self, base_url: str = "/"):
        self.base_url = base_url

    def get(self, *args):
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(not_found_page(self.base_url))

    def head(self, *args):
        self.set_status(404)
        self.finish()

    def post(self, *args):
        self.get()


class AccessKey(VoilaLoginHandler):
    """The login page of a dashboard with a token: asks for the access key, shows nothing else."""

    def _render(self, message=None):
        if message:
            self.set_status(401)
        self.set_header("Cache-Control", "no-store")
        self.finish(
            access_key_page(
                url_path_join(self.base_url, "login"),
                self.get_argument("next", default=self.base_url),
                self.xsrf_form_html(),
                wrong=bool(message),
            )
        )


class DashboardVoila(Voila):
    """Voila serving the one dashboard notebook, with the edges a manager should see."""

    def setup_template_dirs(self):
        super().setup_template_dirs()
        self.template_paths = [str(TEMPLATE_DIR), *self.template_paths]

    def init_settings(self):
        settings = super().init_settings()
        identity = getattr(self, "identity_provider", None)
        if identity is not None:
            identity.login_handler_class = AccessKey
        return settings

    def init_handlers(self):
        catch_all = url_path_join(self.server_url, r"/(.*)")
        files = url_path_join(self.server_url, r"/voila/files/(.*)")
        out = []
        for handler in super().init_handlers():
            if handler[0] == catch_all:  # the dashboard at its address alone, not at every address
                out.append((url_path_join(self.server_url, "/()"), *handler[1:]))
            elif handler[0] != files:  # the notebook's folder is nobody's business
                out.append(handler)
        out.append((url_path_join(self.server_url, "/(.+)"), NotFound, {"base_url": self.base_url}))
        return out

    def listen(self):
        """Listen on the port asked for, or raise :class:`PortInUse`; never another port."""
        try:
            self.app.listen(self.port, self.ip)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(self.ip, self.port) from None
            raise
        self.log.info("The dashboard is being served on %s:%s", self.ip, self.port)
        self.ioloop = tornado.ioloop.IOLoop.current()
        try:
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            self.stop()
