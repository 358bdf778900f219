"""Every refusal a user can cause speaks Chinese first, with the English beside it.

The pattern (`errors.says`): `says("有效期至须晚于发证日期", "expiresOn must come after issuedOn")`,
fields named by their labels (`labels.FIELD_LABELS`) in the Chinese and by the API's names in
the English. The first test reads the source of every place that words a refusal (`Rejected.one`,
`Problem`, `RowProblem`, `check.add`, `SheetError`), so that a
new one cannot ship in English only.
"""

from __future__ import annotations

import ast
import importlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from directory.errors import ErrorCode, says
from directory.labels import FIELD_LABELS, label
from directory.reference.models import ServiceType
from directory.search.readings import has_han
from directory.transfer.sheets import SHEETS
from directory.validation import Checker
from directory.web.field_errors import _BY_CODE

_ROOT = Path(__file__).resolve().parents[1]
_SAYS = re.compile(r"^[^（]*[\u4e00-\u9fff][^（]*（.*[A-Za-z].*）$", re.S)

# Messages passed on as they came, worded where they were made (checked there).
_PASSED_ON = {
    ("directory/errors.py", "message"),  # Rejected.one, the shorthand
    ("directory/web/client.py", "error.message"),  # the API's own message, shown by the pages
    ("directory/transfer/report.py", "message"),  # a service's message, restated for a sheet
    ("directory/reminders/services.py", "problem"),  # _webhook_problem: NotAllowed's, Chinese
}


def _producers(tree: ast.Module) -> list[tuple[ast.Call, ast.expr]]:
    """Each call that words a refusal, with the expression of its message."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, args = node.func, node.args
        keywords = {k.arg: k.value for k in node.keywords}
        index = None
        if isinstance(func, ast.Attribute) and func.attr == "one":
            if isinstance(func.value, ast.Name) and func.value.id == "Rejected":
                index = 2
        elif isinstance(func, ast.Name) and func.id in ("Problem", "RowProblem", "SheetError"):
            index = {"Problem": 2, "RowProblem": 3, "SheetError": 0}[func.id]
        elif isinstance(func, ast.Attribute) and func.attr == "add" and args:
            first = args[0]
            if isinstance(first, ast.Attribute) and ast.unparse(first.value) == "ErrorCode":
                index = 2
        if index is None:
            continue
        message = args[index] if len(args) > index else keywords.get("message")
        assert message is not None, ast.dump(node)
        found.append((node, message))
    return found


def _assignments(scope: ast.AST, name: str) -> list[ast.expr]:
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                values.append(node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            if isinstance(node.target, ast.Name) and node.target.id == name:
                values.append(node.value)
        elif isinstance(node, ast.NamedExpr) and node.target.id == name:
            values.append(node.value)
    return values


def _imported(tree: ast.Module, name: str) -> object | None:
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if any(alias.name == name for alias in node.names):
            return getattr(importlib.import_module(node.module), name)
    return None


def _speaks_chinese(expr: ast.expr, scope: ast.AST, tree: ast.Module) -> bool:
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "says":
        return True
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return bool(_SAYS.match(expr.value))
    if isinstance(expr, ast.JoinedStr):
        text = "".join(str(v.value) for v in expr.values if isinstance(v, ast.Constant))
        return has_han(text) and "（" in text
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):  # a helper of the module
        helpers = [
            n
            for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == expr.func.id
        ]
        returns = [
            r.value for h in helpers for r in ast.walk(h) if isinstance(r, ast.Return) and r.value
        ]
        return bool(returns) and all(_speaks_chinese(r, helpers[0], tree) for r in returns)
    if isinstance(expr, ast.Name):
        values = _assignments(scope, expr.id) or _assignments(tree, expr.id)
        if values:
            return all(_speaks_chinese(v, scope, tree) for v in values)
        constant = _imported(tree, expr.id)
        return isinstance(constant, str) and bool(_SAYS.match(constant))
    return False


def _function_at(tree: ast.Module, call: ast.Call) -> ast.AST:
    best: ast.AST = tree
    for node in ast.walk(tree):
        functions = ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(node, functions) and node.lineno <= call.lineno <= (node.end_lineno or 0):
            best = node  # ast.walk goes outside in: the innermost is the last
    return best


def test_every_refusal_is_worded_in_chinese_with_the_english_beside():
    english_only = []
    seen = 0
    for path in sorted((_ROOT / "directory").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        relative = path.relative_to(_ROOT).as_posix()
        for call, message in _producers(tree):
            seen += 1
            if (relative, ast.unparse(message)) in _PASSED_ON:
                continue
            if not _speaks_chinese(message, _function_at(tree, call), tree):
                english_only.append(f"{relative}:{call.lineno}: {ast.unparse(message)}")
    assert seen > 60  # the walk found the places that word refusals
    assert english_only == [], "word these with errors.says(zh, en):\n" + "\n".join(english_only)


async def test_every_check_of_the_checker_words_its_problems_both_ways(server):
    # given one bad value for each check
    check = Checker()
    check.require("credit_code")
    check.text("name", "x" * 130, 120)
    check.text("address", "a\x00b", 200)
    check.credit_code("credit_code", "123")
    check.id_number("id_number", "123")
    check.phone("contact_phone", "12")
    check.email("contact_email", "not an address")
    check.url("website", "ftp://example.org")
    check.url("website", "https://example.org/" + "x" * 200)
    check.date_order("issued_on", date(2026, 1, 1), "expires_on", date(2025, 1, 1))
    check.not_future("founded_on", date(2030, 1, 1), date(2026, 1, 1))
    check.hours("hours", "many", Decimal(24))
    check.hours("hours", "99", Decimal(24))
    check.hours("hours", "1.25", Decimal(24))
    await check.codes(ServiceType, "services", ["no_such_service"])
    # then each problem reads Chinese first and English beside, fields by their labels
    messages = [p.message for p in check.problems]
    assert len(messages) == 15
    for message in messages:
        assert _SAYS.match(message), message
    assert "有效期至须晚于发证日期（expiresOn must come after issuedOn）" in messages
    assert "统一社会信用代码为必填项（creditCode is required）" in messages
    assert "服务项目没有代码为 'no_such_service' 的项目（no services has the code" in "".join(
        messages
    )


def test_says_puts_the_chinese_first_and_the_english_in_brackets():
    assert says("评分须为 1 到 5 的整数", "rating is a whole number from 1 to 5") == (
        "评分须为 1 到 5 的整数（rating is a whole number from 1 to 5）"
    )


def test_every_error_code_has_words_on_the_pages():
    missing = [code.value for code in ErrorCode if code.value not in _BY_CODE]
    assert missing == []
    assert all(has_han(zh) and en for zh, en in _BY_CODE.values())


def test_every_input_field_of_the_schema_has_a_chinese_label():
    schema = (_ROOT / "schema.graphql").read_text(encoding="utf-8")
    names = set()
    for block in re.finditer(r"^input \w+[^{]*\{([^}]*)\}", schema, re.M):
        names |= set(re.findall(r"^\s+(\w+)\s*:", block.group(1), re.M))
    # the nesting of inputs is never what a message is about
    names -= {"filter", "input", "validQualification", "default"}
    missing = sorted(n for n in names if n not in FIELD_LABELS)
    assert missing == [], "add these to directory/labels.py FIELD_LABELS"


def test_a_sheet_column_and_its_field_are_called_the_same():
    differ = {}
    for sheet in SHEETS.values():
        for column in sheet.columns:
            if column.key and label(column.key) != column.header:
                differ[(sheet.name, column.key)] = (label(column.key), column.header)
    # a name is an agency's 机构名称 and a person's 姓名: the import says which (report.locate)
    assert differ == {
        ("agencies", "name"): ("名称", "机构名称"),
        ("practitioners", "name"): ("名称", "姓名"),
    }
