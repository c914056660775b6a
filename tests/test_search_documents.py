"""Each feature builds its own search documents in its search.py (issue 13: knowledge's builder
was in its feature, the others in search/builders.py)."""

from __future__ import annotations

from nitet_online.plugins import registry_of

EXPECTED = {
    "news": "news",
    "question": "questions",
    "best_practice": "best_practices",
    "honour": "honours",
    "knowledge": "knowledge",
    "supervisor": "supervisors",
    "supervisor_page": "supervisors",
}


def test_every_search_type_is_built_by_its_own_feature(app):
    types = registry_of(app).search_types
    assert set(types) == set(EXPECTED)
    for name, content_type in types.items():
        assert content_type.build.__module__ == f"nitet_online.{EXPECTED[name]}.search", name
