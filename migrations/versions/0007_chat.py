"""chat rooms, members and messages

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-22 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chat_room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('area', 'network', 'group', 'direct', name='roomkind', native_enum=False, length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('learning_area_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('direct_key', sa.String(length=40), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_chat_room_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learning_area_id'], ['learning_area.id'], name=op.f('fk_chat_room_learning_area_id_learning_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_chat_room_network_id_network'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_room')),
    sa.UniqueConstraint('direct_key', name=op.f('uq_chat_room_direct_key')),
    sa.UniqueConstraint('learning_area_id', name=op.f('uq_chat_room_learning_area_id')),
    sa.UniqueConstraint('network_id', name=op.f('uq_chat_room_network_id'))
    )
    with op.batch_alter_table('chat_room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_room_kind'), ['kind'], unique=False)

    op.create_table('chat_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_moderator', sa.Boolean(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('last_read_id', sa.Integer(), nullable=False),
    sa.Column('muted_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['chat_room.id'], name=op.f('fk_chat_member_room_id_chat_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_chat_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_member')),
    sa.UniqueConstraint('room_id', 'user_id', name=op.f('uq_chat_member_room_id'))
    )
    with op.batch_alter_table('chat_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_member_user_id'), ['user_id'], unique=False)

    op.create_table('chat_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_chat_message_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_chat_message_deleted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['chat_message.id'], name=op.f('fk_chat_message_reply_to_id_chat_message'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['chat_room.id'], name=op.f('fk_chat_message_room_id_chat_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_chat_message_upload_id_upload'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_message'))
    )
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.create_index('ix_chat_message_room_id_id', ['room_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.drop_index('ix_chat_message_room_id_id')

    op.drop_table('chat_message')
    with op.batch_alter_table('chat_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_member_user_id'))

    op.drop_table('chat_member')
    with op.batch_alter_table('chat_room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_room_kind'))

    op.drop_table('chat_room')
