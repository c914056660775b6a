"""News and supervisors' pages: how long they take with several years of an office's news.

Pages (the Flask test client, demo data plus POSTS published news spread over the last three
years, a tenth of them training with event dates, some scheduled and drafts; median and p95 of
REPEAT requests each), compared with the manual's front page, a template page that reads almost
nothing from the database (baseline):

  /manual/                       baseline
  /news/                         the list, page 1 (pinned first) with upcoming training
  /news/?category=training&page=5  a filtered page deep in the list
  /news/<id>-<slug>              a post (Markdown body, related posts, author card)
  /news/feed.atom                the Atom feed (30 entries, bodies rendered)
  /supervisors/                  the directory (Thai collation of names)
  /supervisors/<slug>            a personal page (introduction, projects, latest news, counters)
  /                              the home page with every feature's block

    .venv/bin/python bench/bench_news_pages.py                 # POSTS=3000 REPEAT=30
    .venv/bin/python bench/bench_news_pages.py --posts 500 --repeat 10
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import page_times, scratch_app  # noqa: E402

BODY = (
    "## ที่มาและความสำคัญ\n\nการนิเทศเชิงรุกช่วยให้ครูได้รับข้อมูลทันเวลา **สำคัญมาก**\n\n"
    "- ข้อหนึ่ง\n- ข้อสอง\n- ข้อสาม\n\n| ชั้น | จำนวน |\n|---|---|\n| ป.1 | 20 |\n\n"
) * 3


def fill(app, posts: int) -> tuple[str, str]:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from nitet_online.accounts.models import Role, User
    from nitet_online.demo import seed_demo
    from nitet_online.extensions import db
    from nitet_online.news.models import NewsCategory, NewsPost, NewsStatus
    from nitet_online.services.thai import utcnow

    rng = random.Random(2569)
    with app.app_context():
        upgrade()
        seed_demo()
        authors = list(
            db.session.scalars(
                select(User).where(User.role.in_([Role.SUPERVISOR, Role.DIRECTOR, Role.ADMIN]))
            )
        )
        now = utcnow()
        for number in range(posts):
            category = rng.choice(list(NewsCategory))
            published = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            post = NewsPost(
                title=f"ข่าวทดสอบที่ {number} การพัฒนาคุณภาพการศึกษาและการนิเทศ",
                summary="สรุปข่าวสั้น ๆ สำหรับรายการ",
                body=BODY,
                category=category,
                author_id=rng.choice(authors).id,
                status=NewsStatus.DRAFT if number % 25 == 0 else NewsStatus.PUBLISHED,
                publish_at=published if number % 40 else now + timedelta(days=3),
                created_at=published,
                updated_at=published,
                notified_at=published,
            )
            if category == NewsCategory.TRAINING:
                post.event_start = published + timedelta(days=rng.randint(1, 60))
                post.event_place = "ห้องประชุม"
            db.session.add(post)
        db.session.commit()
        sample = db.session.scalar(
            select(NewsPost)
            .where(NewsPost.status == NewsStatus.PUBLISHED)
            .order_by(NewsPost.id.desc())
        )
        return f"/news/{sample.id}-{quote(sample.slug)}", "/supervisors/supervisor1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = scratch_app(Path(folder))
        started = time.perf_counter()
        post_url, site_url = fill(app, args.posts)
        print(f"demo data + {args.posts} news posts in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        pages = [
            ("/manual/", "baseline: a template page"),
            ("/news/", "news list, page 1"),
            ("/news/?category=training&page=5", "news list, filtered, page 5"),
            (post_url, "a news post"),
            ("/news/feed.atom", "Atom feed (30 entries)"),
            ("/supervisors/", "supervisor directory"),
            (site_url, "a supervisor's page"),
            ("/", "home page (every feature's block)"),
        ]
        baseline = None
        print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
        for url, label in pages:
            median, p95 = page_times(client, url, args.repeat)
            baseline = baseline or median
            print(f"{label:45} {median:10.1f} {p95:8.1f} {median / baseline:11.1f}")


if __name__ == "__main__":
    main()
