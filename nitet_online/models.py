"""Imports every feature's models so that SQLAlchemy's metadata (and Alembic) sees all tables."""

from nitet_online.accounts.models import User  # noqa: F401
from nitet_online.audit.models import AuditEntry  # noqa: F401
from nitet_online.best_practices.models import (  # noqa: F401
    BestPractice,
    BestPracticeComment,
    BestPracticeEvent,
    BestPracticeLike,
)
from nitet_online.chat.models import ChatMember, ChatMessage, ChatRoom  # noqa: F401
from nitet_online.honours.models import Honour  # noqa: F401
from nitet_online.jobs.models import JobSchedule  # noqa: F401
from nitet_online.knowledge.models import (  # noqa: F401
    KnowledgeFile,
    KnowledgeItem,
    KnowledgeLink,
    KnowledgeTag,
)
from nitet_online.news.models import NewsPost  # noqa: F401
from nitet_online.notifications.models import Notification  # noqa: F401
from nitet_online.org.models import GradeLevel, LearningArea, Network, Office, School  # noqa: F401
from nitet_online.privacy.models import DeletionRequest  # noqa: F401
from nitet_online.questions.models import (  # noqa: F401
    Answer,
    Question,
    QuestionAssignment,
    QuestionComment,
    QuestionFollow,
    QuestionReport,
    QuestionRevision,
    QuestionTag,
    QuestionVote,
)
from nitet_online.search.models import SearchOutbox  # noqa: F401
from nitet_online.stats.models import (  # noqa: F401
    DailyContentViews,
    PageView,
    RolledDay,
    Slice,
    VisitorSalt,
)
from nitet_online.supervisors.models import (  # noqa: F401
    SupervisorFollow,
    SupervisorPage,
    SupervisorProfile,
    SupervisorProject,
    SupervisorSlugRedirect,
)
from nitet_online.surveys.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveySection,
)
from nitet_online.uploads.models import Attachment, Upload  # noqa: F401
