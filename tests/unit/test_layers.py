"""The import picture: data flows one way. Blueprints never import one another (what they share lives below
them), models import nothing from the service, and the tables beside the machine cover every state and event."""

import ast
import re
from pathlib import Path

import pytest

from approvals import machine, policy
from approvals.gates import GATES
from models.reference_data import (
    ALL_FORCES_ROLES,
    EITHER_SCOPE_ROLES,
    FORCE_SCOPED_ROLES,
    NATIONAL_ROLES,
    ROLES,
    ROLES_REQUIRING_2FA,
)

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = sorted(p.name for p in (ROOT / "approvals").iterdir() if (p / "routes.py").exists())


def _package(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])


def imported_modules(path):
    """Every module `path` imports, anywhere in it (inside functions too), relative imports made absolute."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or node.level):
            module = node.module or ""
            if node.level:  # from .forms import X; from ..requests import forms
                base = _package(path).split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join([*base, module] if module else base)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_relative_imports_are_read_as_the_modules_they_name(monkeypatch):
    source = ROOT / "approvals" / "casefile" / "probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self: "from ..requests.forms import X\nfrom . import forms\n")
    assert set(imported_modules(source)) >= {"approvals.requests.forms", "approvals.casefile.forms"}


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
    # Every role has exactly one scope, and the roles that sign in with a second factor are the deciders and admins.
    scopes = [FORCE_SCOPED_ROLES, EITHER_SCOPE_ROLES, ALL_FORCES_ROLES]
    assert sorted(role for scope in scopes for role in scope) == sorted(ROLES)
    assert ROLES_REQUIRING_2FA == policy.DECIDER_ROLES | {policy.ADMIN_ROLE}


# --- "Who may do what" is stated once --------------------------------------------------------------------------
# Role names, lists of states and "is lead / is decider" checks live in the policy (approvals/policy.py), the machine
# (approvals/machine.py), the gates table it reads (approvals/gates.py) and the roles' own reference data; the demo
# users name their roles. Anything else asks those modules. Each exception below says why it is not a rule.
RULES_LIVE_IN = {"approvals/policy.py", "approvals/machine.py", "approvals/gates.py", "approvals/seed.py"}
RULES_LIVE_IN |= {"models/reference_data.py"}
NOT_A_RULE = {
    ("approvals/admin/routes.py", "admin"): "the blueprint's name",
    ("approvals/delegation.py", "chief_officer"): "the chief officer gate's name in delegations and the API",
    ("approvals/api/delegations.py", "chief_officer"): "an example body's gate name",
    ("approvals/returns.py", ("approved", "withdrawn", "declined")): "the return's figures, by the state entered",
}
SERVICE = sorted([*(ROOT / "approvals").glob("**/*.py"), *(ROOT / "models").glob("*.py"), ROOT / "app.py"])


def _rule_literals(path):
    """(what, line) for each role name, list of states and literal page size found in `path`."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ROLES:
            yield node.value, node.lineno
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            states = tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in machine.STATES)
            if len(states) > 1 or (states and len(node.elts) == 1):
                yield states, node.lineno
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "limit"
            and any(isinstance(arg, ast.Constant) and arg.value != 1 for arg in node.args)
        ):
            yield f".limit({node.args[0].value})", node.lineno


def test_no_role_name_state_list_or_page_size_is_typed_outside_the_policy_and_the_machine():
    found = []
    for path in SERVICE:
        name = str(path.relative_to(ROOT))
        if name in RULES_LIVE_IN:
            continue
        found += [f"{name}:{line} {what!r}" for what, line in _rule_literals(path) if (name, what) not in NOT_A_RULE]
    assert found == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('ROLES = ("force_lead",)\nif s in ("draft", "returned"): q.limit(50)\nx = ("closed",)\n')
    assert sorted(map(str, _rule_literals(probe))) == sorted(
        map(str, [("force_lead", 1), (("draft", "returned"), 2), (".limit(50)", 2), (("closed",), 3)])
    )


# Templates ask the policy (`policy.can`, the request page's `actions`): no role name, no list of states.
TEMPLATE_RULE = re.compile(
    r"has_role\(\s*[\"']|\bin\s*[\(\[][^\)\]]*[\"'](" + "|".join(map(re.escape, machine.STATES)) + r")[\"']"
)


def test_templates_hold_no_role_name_or_list_of_states():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").glob("**/*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_RULE.search(line)
    ]
    assert found == []
    assert TEMPLATE_RULE.search('{% if item.state in ("draft", "returned") %}')
    assert TEMPLATE_RULE.search("{% if current_user.has_role('admin') %}")
    assert not TEMPLATE_RULE.search("{% if current_user.has_role(policy.ADMIN_ROLE) %}")


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
