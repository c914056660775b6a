"""One way for a feature to plug into the platform.

Each feature package declares itself in its `__init__.py`:

    from nitet_online.plugins import Feature

    feature = Feature("news", "ข่าวสาร")

    @feature.setup
    def plug_in(plug):
        from nitet_online.news import jobs, services, views

        plug.blueprint(views.bp)
        plug.models("nitet_online.news.models")
        plug.menu("ข่าวสาร", "news.index", "megaphone", order=20)
        plug.audit_labels(services.ACTION_LABELS)
        plug.home_section("news/_home_section.html", views.home_context, order=10)
        plug.jobs(jobs)

`create_app` calls the setup of every feature named in the config's `FEATURES` list, in that
order, and keeps what they declare in a `Registry` at `app.extensions["plugins"]`. Everything
that used to be filled when a module happened to be imported (menu, audit labels, home sections,
health checks, statistics, search types, privacy exporters, restore hooks, demo steps, jobs,
commands) is read from there: `plugins()` inside an app context, `registry_of(app)` outside.
The setup imports the feature's own modules inside the function, so declaring costs nothing at
import time and an import error fails the app's start, loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import Any

from flask import Blueprint, Flask, current_app

EXTENSION = "plugins"


class Feature:
    """A feature's declaration: its package name (also its blueprint's name, usually), its Thai
    title and the function that declares what it plugs into."""

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self._setup: Callable[[Plug], None] | None = None

    def setup(self, func: Callable[[Plug], None]) -> Callable[[Plug], None]:
        self._setup = func
        return func

    def __repr__(self) -> str:
        return f"Feature({self.name!r})"


# What a feature can plug into ----------------------------------------------------------------
@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    icon: str
    roles: tuple | None = None
    order: int = 50
    feature: str = ""


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page owned by a feature: its template and the data it shows."""

    template: str
    context: Callable[[], dict]
    order: int = 50
    feature: str = ""


@dataclass(frozen=True)
class HealthCheck:
    name: str
    check: Callable[[], None]
    # A failure that leaves the site serving reports "degraded" with 200 (reading works without
    # Redis; uploads answer 507) so a load balancer does not take every server out at once.
    degrading: bool = False
    feature: str = ""


@dataclass(frozen=True)
class DemoStep:
    func: Callable[[], None]
    order: int
    feature: str = ""


@dataclass
class FeatureParts:
    """What one feature declared, for `flask features` and /admin/features."""

    name: str
    title: str
    blueprints: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    menu: list[str] = field(default_factory=list)
    audit_labels: list[str] = field(default_factory=list)
    home_sections: list[str] = field(default_factory=list)
    health_checks: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    stats_content_types: list[str] = field(default_factory=list)
    search_types: list[str] = field(default_factory=list)
    search_dependents: list[str] = field(default_factory=list)
    search_refreshers: list[str] = field(default_factory=list)
    privacy_exporters: list[str] = field(default_factory=list)
    anonymisers: list[str] = field(default_factory=list)
    post_restore_hooks: list[str] = field(default_factory=list)
    demo_steps: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)


class Registry:
    """Everything the enabled features declared, for one app."""

    def __init__(self) -> None:
        self.features: dict[str, FeatureParts] = {}
        self.blueprints: list[Blueprint] = []
        self.models_modules: list[str] = []
        self.menu: list[NavItem] = []
        self.audit_labels: dict[str, str] = {}
        self.home_sections: list[HomeSection] = []
        self.health_checks: dict[str, HealthCheck] = {}
        self.indicators: dict[str, Any] = {}  # key → stats.registry.Indicator
        self.stats_content_types: dict[str, Any] = {}  # key → stats.registry.ContentType
        self.search_types: dict[str, Any] = {}  # name → search.registry.ContentType
        self.search_dependents: dict[type, list[Callable]] = {}
        self.search_refreshers: dict[str, Callable[[], str]] = {}
        self.privacy_exporters: dict[str, Callable] = {}
        self.anonymisers: list[Callable] = []
        self.post_restore_hooks: list[Callable[[], None]] = []
        self.demo_steps: list[DemoStep] = []
        self.jobs: dict[str, Any] = {}  # name → jobs.registry.Job
        self.commands: list[Any] = []  # click commands and groups
        self.app_hooks: list[Callable[[Flask], None]] = []

    @property
    def degrading_checks(self) -> set[str]:
        return {name for name, check in self.health_checks.items() if check.degrading}

    def ordered_home_sections(self) -> list[HomeSection]:
        return sorted(self.home_sections, key=lambda section: section.order)

    def ordered_menu(self) -> list[NavItem]:
        return sorted(self.menu, key=lambda item: item.order)

    def ordered_demo_steps(self) -> list[Callable[[], None]]:
        return [step.func for step in sorted(self.demo_steps, key=lambda step: step.order)]

    def feature_of_blueprint(self, blueprint_name: str) -> str | None:
        for parts in self.features.values():
            if blueprint_name in parts.blueprints:
                return parts.name
        return None


def _name(func: Any) -> str:
    return getattr(func, "__qualname__", None) or repr(func)


class Plug:
    """What a feature's setup receives: one method per kind of thing it can plug into."""

    def __init__(self, registry: Registry, feature: Feature) -> None:
        self.registry = registry
        self.feature = feature
        self.parts = registry.features.setdefault(
            feature.name, FeatureParts(feature.name, feature.title)
        )

    # Web -----------------------------------------------------------------------------------
    def blueprint(self, bp: Blueprint) -> None:
        self.registry.blueprints.append(bp)
        self.parts.blueprints.append(bp.name)

    def models(self, module: str | ModuleType) -> None:
        """The module that defines the feature's tables (imported now, before the database is
        set up, so that the metadata and Alembic see them)."""
        name = module if isinstance(module, str) else module.__name__
        import_module(name)
        self.registry.models_modules.append(name)
        self.parts.models.append(name)

    def menu(
        self,
        label: str,
        endpoint: str,
        icon: str,
        *,
        roles: Iterable | None = None,
        order: int = 50,
    ) -> None:
        roles = tuple(roles) if roles is not None else None
        item = NavItem(label, endpoint, icon, roles, order, self.feature.name)
        self.registry.menu.append(item)
        self.parts.menu.append(f"{label} ({endpoint})")

    def home_section(self, template: str, context: Callable[[], dict], *, order: int = 50) -> None:
        self.registry.home_sections.append(HomeSection(template, context, order, self.feature.name))
        self.parts.home_sections.append(template)

    def command(self, command: Any) -> None:
        """A click command or group added to `flask --app wsgi ...`."""
        self.registry.commands.append(command)
        self.parts.commands.append(command.name)

    def on_app(self, hook: Callable[[Flask], None]) -> None:
        """Called with the app once the blueprints are registered (config defaults, listeners)."""
        self.registry.app_hooks.append(hook)

    # Audit and operations ---------------------------------------------------------------------
    def audit_labels(self, labels: dict[str, str]) -> None:
        """Thai names of the feature's audit actions (shown in the audit log)."""
        self.registry.audit_labels.update(labels)
        self.parts.audit_labels.extend(labels)

    def health_check(
        self, name: str, check: Callable[[], None], *, degrading: bool = False
    ) -> None:
        self.registry.health_checks[name] = HealthCheck(name, check, degrading, self.feature.name)
        self.parts.health_checks.append(name + (" (degrading)" if degrading else ""))

    def post_restore(self, hook: Callable[[], None]) -> None:
        """Runs after a backup is restored and migrated (in an app context)."""
        self.registry.post_restore_hooks.append(hook)
        self.parts.post_restore_hooks.append(_name(hook))

    def demo_step(self, step: Callable[[], None], *, order: int) -> None:
        """Demo content (`flask seed-demo`); steps run by order: people before what they write."""
        self.registry.demo_steps.append(DemoStep(step, order, self.feature.name))
        self.parts.demo_steps.append(f"{order}: {_name(step)}")

    def jobs(self, module: str | ModuleType) -> None:
        """Every job declared with `@periodic` in this module (usually the feature's jobs.py)."""
        from nitet_online.jobs.registry import jobs_in

        module = import_module(module) if isinstance(module, str) else module
        for job in jobs_in(module):
            self.job(job)

    def job(self, job: Any) -> None:
        known = self.registry.jobs.get(job.name)
        if known is not None and known.func is not job.func:
            raise ValueError(f"two jobs are named {job.name!r}")
        self.registry.jobs[job.name] = job
        self.parts.jobs.append(job.name)

    # Statistics ---------------------------------------------------------------------------------
    def indicator(
        self,
        key: str,
        label: str,
        compute: Callable,
        *,
        order: int = 50,
        description: str = "",
        supervisor_compute: Callable | None = None,
    ) -> None:
        """An outcome indicator of the office dashboard, /api/v1/stats/summary and the report."""
        from nitet_online.stats.registry import Indicator

        indicator = Indicator(key, label, compute, order, description, supervisor_compute)
        self.registry.indicators[key] = indicator
        self.parts.indicators.append(key)

    def stats_content_type(self, key: str, label: str, describe: Callable | None = None) -> None:
        """How the statistics name a tracked content type and its items."""
        from nitet_online.stats.registry import ContentType

        self.registry.stats_content_types[key] = ContentType(key, label, describe)
        self.parts.stats_content_types.append(key)

    # Search -------------------------------------------------------------------------------------
    def search_type(self, content_type: Any) -> None:
        """A search.registry.ContentType: what the index holds of this feature."""
        self.registry.search_types[content_type.name] = content_type
        self.parts.search_types.append(content_type.name)

    def search_dependent(self, model: type, parents: Callable[[Any], Iterable]) -> None:
        """Changes to `model` rows refresh the documents `parents(row)` names."""
        callbacks = self.registry.search_dependents.setdefault(model, [])
        if parents not in callbacks:
            callbacks.append(parents)
        self.parts.search_dependents.append(model.__name__)

    def search_refresher(self, name: str, refresh: Callable[[], str]) -> None:
        """Made again by `flask search reindex` before the index is rebuilt."""
        self.registry.search_refreshers[name] = refresh
        self.parts.search_refreshers.append(name)

    # Privacy ------------------------------------------------------------------------------------
    def personal_data(self, section: str, exporter: Callable) -> None:
        """A section of a person's data download: `exporter(user) -> JSON-able`."""
        self.registry.privacy_exporters[section] = exporter
        self.parts.privacy_exporters.append(section)

    def anonymiser(self, forget: Callable) -> None:
        """Scrubs the feature's own personal data when an account is anonymised: `forget(user)`."""
        if forget not in self.registry.anonymisers:
            self.registry.anonymisers.append(forget)
        self.parts.anonymisers.append(_name(forget))


# Building and reading the registry -------------------------------------------------------------
def feature_of(package: str) -> Feature:
    """The declaration in a feature package's __init__.py (a short name is under nitet_online)."""
    module = import_module(package if "." in package else f"nitet_online.{package}")
    feature = getattr(module, "feature", None)
    if not isinstance(feature, Feature) or feature._setup is None:
        raise RuntimeError(f"{module.__name__} declares no feature with a setup (see plugins.py)")
    return feature


def build_registry(packages: Iterable[str]) -> Registry:
    """Calls each feature's setup in this order."""
    registry = Registry()
    for package in packages:
        feature = feature_of(package)
        if feature.name in registry.features:
            raise RuntimeError(f"feature {feature.name!r} is listed twice")
        feature._setup(Plug(registry, feature))
    return registry


def registry_of(app: Flask) -> Registry:
    return app.extensions[EXTENSION]


def plugins() -> Registry:
    """The registry of the current app."""
    return current_app.extensions[EXTENSION]


# What each feature plugs into, for `flask features` and /admin/features --------------------------
PART_LABELS: tuple[tuple[str, str], ...] = (
    ("routes", "เส้นทาง (routes)"),
    ("tables", "ตาราง"),
    ("menu", "เมนู"),
    ("home_sections", "ส่วนของหน้าแรก"),
    ("audit_labels", "การกระทำในบันทึกการใช้งาน"),
    ("health_checks", "การตรวจสุขภาพระบบ"),
    ("indicators", "ตัวชี้วัด"),
    ("stats_content_types", "ประเภทเนื้อหาในสถิติ"),
    ("search_types", "ประเภทในการค้นหา"),
    ("search_dependents", "ข้อมูลที่ปรับดัชนีค้นหา"),
    ("search_refreshers", "สิ่งที่สร้างใหม่ก่อนทำดัชนี"),
    ("privacy_exporters", "ข้อมูลส่วนบุคคลที่ดาวน์โหลดได้"),
    ("anonymisers", "การลบข้อมูลส่วนบุคคล"),
    ("post_restore_hooks", "งานหลังกู้คืนข้อมูล"),
    ("demo_steps", "ข้อมูลตัวอย่าง"),
    ("jobs", "งานเบื้องหลัง"),
    ("commands", "คำสั่ง flask"),
)


def _tables_of(models_modules: list[str]) -> list[str]:
    from nitet_online.extensions import db

    tables = {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if mapper.class_.__module__ in models_modules and mapper.local_table is not None
    }
    return sorted(tables)


def _routes_of(app: Flask, blueprints: list[str]) -> list[str]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.partition(".")[0] in blueprints and "." in rule.endpoint
    ]
    return sorted({rule.rule for rule in rules})


def describe_features(app: Flask) -> list[dict]:
    """For each enabled feature in setup order: its name, title and [(key, Thai label, values)]."""
    result = []
    for parts in registry_of(app).features.values():
        values = {
            "routes": _routes_of(app, parts.blueprints),
            "tables": _tables_of(parts.models),
            **{key: list(getattr(parts, key)) for key, _ in PART_LABELS if hasattr(parts, key)},
        }
        result.append(
            {
                "name": parts.name,
                "title": parts.title,
                "parts": [(key, label, values[key]) for key, label in PART_LABELS],
            }
        )
    return result
