"""best practices (with review history, likes, comments) and honours

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-22 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('best_practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('learning_area_id', sa.Integer(), nullable=True),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('background', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('implementation', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('success_factors', sa.Text(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('video_url', sa.String(length=255), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending', 'published', 'returned', name='best_practice_status', native_enum=False, length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('featured', sa.Boolean(), nullable=False),
    sa.Column('featured_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_best_practice_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learning_area_id'], ['learning_area.id'], name=op.f('fk_best_practice_learning_area_id_learning_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_best_practice_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_best_practice'))
    )
    with op.batch_alter_table('best_practice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_best_practice_academic_year'), ['academic_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_practice_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_practice_featured'), ['featured'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_practice_learning_area_id'), ['learning_area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_practice_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_practice_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_best_practice_status'), ['status'], unique=False)

    op.create_table('best_practice_coauthor',
    sa.Column('best_practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['best_practice_id'], ['best_practice.id'], name=op.f('fk_best_practice_coauthor_best_practice_id_best_practice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_best_practice_coauthor_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('best_practice_id', 'user_id', name=op.f('pk_best_practice_coauthor'))
    )
    op.create_table('best_practice_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('best_practice_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_best_practice_comment_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['best_practice_id'], ['best_practice.id'], name=op.f('fk_best_practice_comment_best_practice_id_best_practice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_best_practice_comment'))
    )
    with op.batch_alter_table('best_practice_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_best_practice_comment_best_practice_id'), ['best_practice_id'], unique=False)

    op.create_table('best_practice_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('best_practice_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_best_practice_event_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['best_practice_id'], ['best_practice.id'], name=op.f('fk_best_practice_event_best_practice_id_best_practice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_best_practice_event'))
    )
    with op.batch_alter_table('best_practice_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_best_practice_event_best_practice_id'), ['best_practice_id'], unique=False)

    op.create_table('best_practice_grade_level',
    sa.Column('best_practice_id', sa.Integer(), nullable=False),
    sa.Column('grade_level_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['best_practice_id'], ['best_practice.id'], name=op.f('fk_best_practice_grade_level_best_practice_id_best_practice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grade_level_id'], ['grade_level.id'], name=op.f('fk_best_practice_grade_level_grade_level_id_grade_level'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('best_practice_id', 'grade_level_id', name=op.f('pk_best_practice_grade_level'))
    )
    op.create_table('best_practice_like',
    sa.Column('best_practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['best_practice_id'], ['best_practice.id'], name=op.f('fk_best_practice_like_best_practice_id_best_practice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_best_practice_like_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('best_practice_id', 'user_id', name=op.f('pk_best_practice_like'))
    )
    op.create_table('honour',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_type', sa.Enum('teacher', 'director', 'student', 'school', name='honour_recipient_type', native_enum=False, length=20), nullable=False),
    sa.Column('recipient_user_id', sa.Integer(), nullable=True),
    sa.Column('recipient_names', sa.Text(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('award_title', sa.String(length=255), nullable=False),
    sa.Column('level', sa.Enum('school', 'area', 'region', 'national', 'international', name='honour_level', native_enum=False, length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('issuing_body', sa.String(length=255), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('photo_upload_id', sa.Integer(), nullable=True),
    sa.Column('certificate_upload_id', sa.Integer(), nullable=True),
    sa.Column('best_practice_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='honour_status', native_enum=False, length=20), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['best_practice_id'], ['best_practice.id'], name=op.f('fk_honour_best_practice_id_best_practice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['certificate_upload_id'], ['upload.id'], name=op.f('fk_honour_certificate_upload_id_upload'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['user.id'], name=op.f('fk_honour_nominated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['photo_upload_id'], ['upload.id'], name=op.f('fk_honour_photo_upload_id_upload'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['user.id'], name=op.f('fk_honour_recipient_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_honour_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_honour_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour'))
    )
    with op.batch_alter_table('honour', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_recipient_user_id'), ['recipient_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_honour_year'), ['year'], unique=False)


def downgrade():
    with op.batch_alter_table('honour', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_year'))
        batch_op.drop_index(batch_op.f('ix_honour_status'))
        batch_op.drop_index(batch_op.f('ix_honour_school_id'))
        batch_op.drop_index(batch_op.f('ix_honour_recipient_user_id'))
        batch_op.drop_index(batch_op.f('ix_honour_level'))

    op.drop_table('honour')
    op.drop_table('best_practice_like')
    op.drop_table('best_practice_grade_level')
    with op.batch_alter_table('best_practice_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_best_practice_event_best_practice_id'))

    op.drop_table('best_practice_event')
    with op.batch_alter_table('best_practice_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_best_practice_comment_best_practice_id'))

    op.drop_table('best_practice_comment')
    op.drop_table('best_practice_coauthor')
    with op.batch_alter_table('best_practice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_best_practice_status'))
        batch_op.drop_index(batch_op.f('ix_best_practice_school_id'))
        batch_op.drop_index(batch_op.f('ix_best_practice_published_at'))
        batch_op.drop_index(batch_op.f('ix_best_practice_learning_area_id'))
        batch_op.drop_index(batch_op.f('ix_best_practice_featured'))
        batch_op.drop_index(batch_op.f('ix_best_practice_author_id'))
        batch_op.drop_index(batch_op.f('ix_best_practice_academic_year'))

    op.drop_table('best_practice')
