"""The dashboard's first paint: its first tab as plain HTML, shown while the browser builds the live page.

A Voila page shows its widgets only once the browser has loaded and run
all of Voila's scripts and built every widget, which takes a while, and
longer when several viewers arrive at once. The page's kernel has
computed every number long before (the dashboard keeps kernels ready), so
the dashboard also offers its first tab as plain HTML: the same title,
tab titles, control labels and answer, written from the same strings as
the live widgets. The page template (``notebooks/dashboard_template``)
shows it at once and swaps in the live page the moment its first answer
is drawn; nothing on the screen changes but the controls coming alive.
Should the live page not be drawn within :data:`PATIENCE_SECONDS` (its
scripts blocked, its kernel gone), the first paint says so above the
answers (:data:`STALLED_TEXT`) instead of showing a busy pointer for ever.

:class:`FirstPaintPage` is the dashboard's page widget carrying that HTML as
a second representation (``text/html`` beside the widget view). Voila and
JupyterLab show the widget; the template alone reads the HTML.
"""

from __future__ import annotations

import html

import ipywidgets as w

#: the id the page template and its script know the first paint by
FIRST_PAINT_ID = "sa-first-paint"

#: how long the first paint waits for the live page before it says that the controls have not started
PATIENCE_SECONDS = 30

#: what the first paint says then: the answers still hold, the controls will not move
STALLED_TEXT = (
    "The controls have not started. The answers below hold for the settings shown; "
    "to change them, reload the page, or ask whoever runs the dashboard to look at it."
)

#: the look of Voila's page (JupyterLab's light theme, the widgets' tab bar and sliders), which is not loaded
#: yet when the first paint shows: the same fonts, margins and borders, so that the swap moves nothing
FIRST_PAINT_CSS = """
<style>
#sa-first-paint{position:relative;z-index:10;box-sizing:border-box;min-height:100vh;padding:10px;background:#fff;color:rgba(0,0,0,.87);font-size:13px;cursor:progress;
  font-family:system-ui,-apple-system,blinkmacsystemfont,"Segoe UI",helvetica,arial,sans-serif}
#sa-first-paint .sa-page{margin:12px 0 0 5px}
#sa-first-paint .sa-fp-stalled{display:none;margin:0 0 8px;padding:8px 12px;border-left:4px solid #c0392b;
  background:#fdf2f0;font-size:14px;line-height:20px}
#sa-first-paint.sa-fp-waited{cursor:auto}
#sa-first-paint.sa-fp-waited .sa-fp-stalled{display:block}
#sa-first-paint .sa-fp-html{display:flow-root;margin:2px;line-height:28px}
#sa-first-paint .sa-fp-body{width:100%;padding-top:2px}
#sa-first-paint .sa-fp-tabs{margin:8px 2px 2px}
#sa-first-paint .sa-fp-bar{display:flex;height:26px;font-family:Helvetica,Arial,sans-serif;font-size:13.26px}
#sa-first-paint .sa-fp-tab{position:relative;top:1px;height:25px;line-height:24px;padding:0 14px;margin-left:-1px;
  border:1px solid #bdbdbd;border-bottom:none;background:#eee;color:rgba(0,0,0,.54);white-space:nowrap}
#sa-first-paint .sa-fp-tab:first-child{margin-left:0}
#sa-first-paint .sa-fp-tab.sa-fp-current{background:#fff;color:#000;font-weight:600;box-shadow:inset 0 2px 0 #1976d2;
  z-index:1}
#sa-first-paint .sa-fp-panel{border:1px solid #bdbdbd;padding:15px;background:#fff}
#sa-first-paint .sa-controls{margin:4px 0 12px}
#sa-first-paint .sa-fp-control{display:flex;flex-direction:column}
#sa-first-paint .sa-fp-control .sa-fp-html{height:29px}
#sa-first-paint .sa-fp-slider{position:relative;width:360px;height:28px;margin:2px}
#sa-first-paint .sa-fp-track{position:absolute;left:6px;right:6px;top:12px;height:4px;border-radius:2px;
  background:#c4c4c4}
#sa-first-paint .sa-fp-handle{position:absolute;top:6px;width:14px;height:14px;margin-left:-8px;border-radius:50%;
  border:1px solid #d9d9d9;background:#fff}
</style>
"""


class FirstPaintPage(w.VBox):
    """The dashboard's page: a box of widgets that also offers its first paint as ``text/html``.

    Voila and JupyterLab draw the widget view, which they prefer; the
    dashboard's page template shows the HTML until the widgets are drawn.
    """

    first_paint: str = ""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.first_paint:
            bundle["text/html"] = self.first_paint
        return bundle


def slider_html(label_html: str, position: float) -> str:
    """One control as it will look: its label and a slider whose handle sits at ``position`` (0 to 1)."""
    left = 6 + max(0.0, min(1.0, position)) * 348  # the track runs 348 px, 6 px inside the 360 px slider
    return (
        f"<div class='sa-fp-control'><div class='sa-fp-html sa-control-label'>{label_html}</div>"
        f"<div class='sa-fp-slider'><div class='sa-fp-track'></div>"
        f"<div class='sa-fp-handle' style='left:{left:.0f}px'></div></div></div>"
    )


def first_paint_html(title_html: str, tab_titles: list[str], controls: list[str], body_html: str) -> str:
    """The first tab as plain HTML, laid out as Voila lays out the live page.

    Parameters
    ----------
    title_html : str
        The page's heading, as the live page's title widget holds it (with the dashboard's style sheet).
    tab_titles : list of str
        Every tab's title; the first is the one shown.
    controls : list of str
        The first tab's controls, each from :func:`slider_html`.
    body_html : str
        The first tab's answer, as the live page's answer widget holds it.

    Examples
    --------
    >>> page = first_paint_html("<div class='sa-title'>Acme</div>", ["Costs", "Calls"], [], "<p>42</p>")
    >>> "Acme" in page and "Calls" in page and 'id="sa-first-paint"' in page
    True
    """
    tabs = "".join(
        f"<div class='sa-fp-tab{' sa-fp-current' if i == 0 else ''}'>{html.escape(title)}</div>"
        for i, title in enumerate(tab_titles)
    )
    panel = f"<div class='sa-controls'>{''.join(controls)}</div>" if controls else ""
    return (
        f'<div id="{FIRST_PAINT_ID}" aria-busy="true" data-patience-ms="{PATIENCE_SECONDS * 1000}">'
        f'{FIRST_PAINT_CSS}<div class="sa-page"><div class="sa-fp-stalled" role="status">{STALLED_TEXT}</div>'
        f"<div class='sa-fp-html'>{title_html}</div>"
        f"<div class='sa-fp-tabs'><div class='sa-fp-bar'>{tabs}</div><div class='sa-fp-panel'>{panel}"
        f"<div class='sa-fp-html sa-fp-body'>{body_html}</div></div></div></div></div>"
    )
