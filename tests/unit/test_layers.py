"""The import picture: data flows one way. Blueprints never import one another (what they share lives below
them), models import nothing from the service, and the tables beside the machine cover every state and event."""

import ast
from pathlib import Path

import pytest

from approvals import machine, policy
from approvals.gates import GATES
from models.reference_data import FORCE_SCOPED_ROLES, NATIONAL_ROLES, ROLES

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = sorted(p.name for p in (ROOT / "approvals").iterdir() if (p / "routes.py").exists())


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_a_blueprint_imports_no_other_blueprint(blueprint):
    others = {f"approvals.{name}" for name in BLUEPRINTS if name != blueprint}
    found = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "approvals" / blueprint).glob("*.py")
        for module in imported_modules(path)
        if any(module == other or module.startswith(other + ".") for other in others)
    }
    assert found == set()


def test_only_the_app_factory_imports_the_blueprints():
    below = [p for p in (ROOT / "approvals").glob("*.py")]
    found = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in below
        for module in imported_modules(path)
        if any(module.startswith(f"approvals.{name}") for name in BLUEPRINTS)
    }
    assert found == set()


def test_models_import_nothing_from_the_service():
    found = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "models").glob("*.py")
        for module in imported_modules(path)
        if module == "approvals" or module.startswith("approvals.")
    }
    assert found == set()


def test_every_state_has_its_label_and_every_event_its_wording():
    assert list(machine.STATE_TEXT) == machine.STATES
    fired = set(machine.machine.events)
    assert fired <= set(machine.EVENT_WORDING), fired - set(machine.EVENT_WORDING)


def test_the_role_sets_are_derived_from_the_gates_and_agree_with_the_roles_scopes():
    assert policy.DECIDER_ROLES == {gate.role for gate in GATES}
    assert policy.READER_ROLES == policy.DECIDER_ROLES | {policy.LEAD_ROLE}
    for gate in GATES:
        assert gate.national == (gate.role in NATIONAL_ROLES), gate
        assert gate.national != (gate.role in FORCE_SCOPED_ROLES), gate
    assert {policy.LEAD_ROLE, policy.FOI_ROLE, policy.ADMIN_ROLE} | policy.DECIDER_ROLES == set(ROLES)


# Personal data (named people, issue 24) is read through approvals.people only. What is published, disclosed under
# FOI, exported or emailed is built by these modules, and none of them may reach for it: not the service, not its
# models, not its table by name.
NO_PERSONAL_DATA = sorted(
    {
        ROOT / "approvals" / "notifications.py",
        ROOT / "approvals" / "transparency.py",
        ROOT / "approvals" / "disclosure.py",
        ROOT / "approvals" / "returns.py",
        ROOT / "approvals" / "returns_cli.py",
        ROOT / "approvals" / "dashboard.py",
        ROOT / "approvals" / "api" / "disclosure.py",
        ROOT / "approvals" / "api" / "outputs.py",
        *(ROOT / "approvals" / "reports").glob("*.py"),
        *(ROOT / "approvals" / "outputs").glob("*.py"),
        *(ROOT / "approvals" / "disclosure_views").glob("*.py"),
    }
)
PERSONAL_DATA = ("approvals.people", "models.people", "models.DeployedPerson", "models.PersonalDataView")


@pytest.mark.parametrize("path", NO_PERSONAL_DATA, ids=lambda p: str(p.relative_to(ROOT)))
def test_foi_publication_exports_and_emails_never_import_the_named_people(path):
    assert path.exists()
    found = {module for module in imported_modules(path) if module.startswith(PERSONAL_DATA)}
    assert found == set()
    source = path.read_text()
    for name in ("DeployedPerson", "PersonalDataView", "deployed_person", "personal_data_view"):
        assert name not in source, name


def test_the_email_templates_never_name_the_people():
    for template in (ROOT / "templates" / "email").iterdir():
        text = template.read_text()
        assert "people" not in text and "person" not in text, template.name
