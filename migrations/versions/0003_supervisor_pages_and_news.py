"""supervisor personal pages and academic news

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:31:40.022069

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supervisor_follow',
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['follower_id'], ['user.id'], name=op.f('fk_supervisor_follow_follower_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user.id'], name=op.f('fk_supervisor_follow_supervisor_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'supervisor_id', name=op.f('pk_supervisor_follow'))
    )
    with op.batch_alter_table('supervisor_follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_follow_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('news_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category', sa.Enum('announcement', 'academic', 'policy', 'training', 'project', name='newscategory', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='newsstatus', native_enum=False, length=20), nullable=False),
    sa.Column('publish_at', sa.DateTime(), nullable=True),
    sa.Column('is_pinned', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('cover_upload_id', sa.Integer(), nullable=True),
    sa.Column('event_start', sa.DateTime(), nullable=True),
    sa.Column('event_end', sa.DateTime(), nullable=True),
    sa.Column('event_place', sa.String(length=255), nullable=False),
    sa.Column('registration_url', sa.String(length=500), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('view_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_news_post_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cover_upload_id'], ['upload.id'], name=op.f('fk_news_post_cover_upload_id_upload'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_post'))
    )
    with op.batch_alter_table('news_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_post_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_post_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_post_event_start'), ['event_start'], unique=False)
        batch_op.create_index('ix_news_post_listing', ['is_pinned', 'publish_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_post_notified_at'), ['notified_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_post_publish_at'), ['publish_at'], unique=False)

    op.create_table('supervisor_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('headline', sa.String(length=200), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('photo_upload_id', sa.Integer(), nullable=True),
    sa.Column('cover_upload_id', sa.Integer(), nullable=True),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('contact_email', sa.String(length=255), nullable=False),
    sa.Column('contact_line_id', sa.String(length=100), nullable=False),
    sa.Column('phone_visibility', sa.Enum('public', 'members', 'hidden', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('email_visibility', sa.Enum('public', 'members', 'hidden', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('line_visibility', sa.Enum('public', 'members', 'hidden', name='visibility', native_enum=False, length=20), nullable=False),
    sa.Column('view_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cover_upload_id'], ['upload.id'], name=op.f('fk_supervisor_profile_cover_upload_id_upload'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_upload_id'], ['upload.id'], name=op.f('fk_supervisor_profile_photo_upload_id_upload'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_supervisor_profile_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_profile')),
    sa.UniqueConstraint('slug', name=op.f('uq_supervisor_profile_slug')),
    sa.UniqueConstraint('user_id', name=op.f('uq_supervisor_profile_user_id'))
    )
    op.create_table('supervisor_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['supervisor_profile.id'], name=op.f('fk_supervisor_page_profile_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_page')),
    sa.UniqueConstraint('profile_id', 'slug', name=op.f('uq_supervisor_page_profile_id'))
    )
    with op.batch_alter_table('supervisor_page', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_page_profile_id'), ['profile_id'], unique=False)

    op.create_table('supervisor_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['supervisor_profile.id'], name=op.f('fk_supervisor_project_profile_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_project'))
    )
    with op.batch_alter_table('supervisor_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_project_profile_id'), ['profile_id'], unique=False)

    op.create_table('supervisor_slug_redirect',
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['supervisor_profile.id'], name=op.f('fk_supervisor_slug_redirect_profile_id_supervisor_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_supervisor_slug_redirect'))
    )
    with op.batch_alter_table('supervisor_slug_redirect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_slug_redirect_profile_id'), ['profile_id'], unique=False)


def downgrade():
    with op.batch_alter_table('supervisor_slug_redirect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_slug_redirect_profile_id'))

    op.drop_table('supervisor_slug_redirect')
    with op.batch_alter_table('supervisor_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_project_profile_id'))

    op.drop_table('supervisor_project')
    with op.batch_alter_table('supervisor_page', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_page_profile_id'))

    op.drop_table('supervisor_page')
    op.drop_table('supervisor_profile')
    with op.batch_alter_table('news_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_post_notified_at'))
        batch_op.drop_index('ix_news_post_listing')
        batch_op.drop_index(batch_op.f('ix_news_post_publish_at'))
        batch_op.drop_index(batch_op.f('ix_news_post_event_start'))
        batch_op.drop_index(batch_op.f('ix_news_post_category'))
        batch_op.drop_index(batch_op.f('ix_news_post_author_id'))

    op.drop_table('news_post')
    with op.batch_alter_table('supervisor_follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_follow_supervisor_id'))

    op.drop_table('supervisor_follow')
