"""report.html opened from disk in a real headless Chromium with every network request refused."""

import pytest

from tests.conftest import ARTIFACTS


@pytest.fixture(scope="module")
def report_html(sample_report):
    return sample_report / "report.html"


def test_report_needs_no_network_and_every_image_renders(browser, report_html):
    context = browser.new_context(offline=True)
    page = context.new_page()
    asked_network = []

    def refuse_network(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked_network.append(route.request.url)
            route.abort()

    page.route("**/*", refuse_network)
    page.goto(report_html.as_uri())
    page.wait_for_load_state("load")
    assert asked_network == []
    images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert len(images) >= 3  # the notebooks' charts
    assert all(complete and width > 0 for complete, width in images)
    text = page.inner_text("body")
    assert "Traceback" not in text and "import " not in text  # code hidden
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    context.close()
