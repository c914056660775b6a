"""One YouTube parser for every feature (issue 13): best practices and knowledge links accept the
same addresses, and embed them the same way."""

from __future__ import annotations

import pytest

from nitet_online.services.youtube import canonical_url, embed_url, youtube_id

VIDEO = "aqz-KE-bpKQ"

FORMS = [
    f"https://www.youtube.com/watch?v={VIDEO}",
    f"https://www.youtube.com/watch?v={VIDEO}&list=PL123&index=2&t=42s",
    f"https://www.youtube.com/watch?feature=youtu.be&v={VIDEO}",
    f"www.youtube.com/watch?v={VIDEO}",
    f"https://m.youtube.com/watch?v={VIDEO}&feature=share",
    f"https://youtu.be/{VIDEO}",
    f"https://youtu.be/{VIDEO}?si=Abc123&t=10",
    f"https://www.youtube.com/shorts/{VIDEO}",
    f"https://youtube.com/shorts/{VIDEO}?feature=share",
    f"https://m.youtube.com/shorts/{VIDEO}",
    f"https://www.youtube.com/embed/{VIDEO}",
    f"https://www.youtube.com/embed/{VIDEO}?start=30&rel=0",
    f"https://www.youtube-nocookie.com/embed/{VIDEO}",
    f"https://www.youtube.com/live/{VIDEO}",
    f"https://www.youtube.com/live/{VIDEO}?si=xyz",
    f"https://www.youtube.com/v/{VIDEO}",
]


@pytest.mark.parametrize("url", FORMS)
def test_every_youtube_form_gives_the_video_id(url):
    assert youtube_id(url) == VIDEO


def test_embedding_is_always_through_youtube_nocookie():
    assert embed_url(VIDEO) == f"https://www.youtube-nocookie.com/embed/{VIDEO}"
    assert canonical_url(VIDEO) == f"https://www.youtube.com/watch?v={VIDEO}"


@pytest.mark.parametrize("url", FORMS)
def test_a_knowledge_link_embeds_the_same_forms_as_a_best_practice(url):
    from nitet_online.best_practices.models import BestPractice
    from nitet_online.knowledge.models import KnowledgeLink as Link

    link = Link(url=url)
    practice = BestPractice(video_url=url)
    assert link.youtube_id == VIDEO
    assert link.embed_url == practice.video_embed_url == embed_url(VIDEO)


@pytest.mark.parametrize(
    "url",
    ["https://www.obec.go.th", "https://www.youtube.com/playlist?list=PL123", "", None],
)
def test_a_link_that_is_not_a_youtube_video_is_not_embedded(url):
    from nitet_online.knowledge.models import KnowledgeLink as Link

    assert Link(url=url).embed_url is None
