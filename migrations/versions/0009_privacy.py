"""privacy: consent at registration, deletion requests

Revision ID: 0009
Revises: 0002
Create Date: 2026-11-22 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch): SQLite adds a column in place, without rebuilding "user".
    op.add_column('user', sa.Column('consented_at', sa.DateTime(), nullable=True))
    op.add_column(
        'user',
        sa.Column('consent_version', sa.String(length=20), nullable=False, server_default=''),
    )
    op.create_table('privacy_deletion_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'done', 'declined', name='requeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('admin_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_privacy_deletion_request_handled_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_privacy_deletion_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_deletion_request'))
    )
    op.create_index(op.f('ix_privacy_deletion_request_status'), 'privacy_deletion_request', ['status'], unique=False)
    op.create_index(op.f('ix_privacy_deletion_request_user_id'), 'privacy_deletion_request', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_privacy_deletion_request_user_id'), table_name='privacy_deletion_request')
    op.drop_index(op.f('ix_privacy_deletion_request_status'), table_name='privacy_deletion_request')
    op.drop_table('privacy_deletion_request')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('consent_version')
        batch_op.drop_column('consented_at')
