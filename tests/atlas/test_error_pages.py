"""Unknown addresses get the site's own 404 page; the 500 page needs no database."""
import pytest
from django.template.loader import render_to_string


@pytest.mark.django_db
def test_unknown_address_is_a_404_with_a_way_back(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'href="/sources/"' in html


def test_500_page_renders_without_context():
    assert "Something went wrong" in render_to_string("500.html")
