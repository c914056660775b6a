"""ผลงานดีเด่น: best practices of teachers and school directors, their review and showcase."""
