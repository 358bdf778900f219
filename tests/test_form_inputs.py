"""From posted forms to GraphQL inputs, and the API's refusals in Chinese by field."""

from __future__ import annotations

from starlette.datastructures import FormData

from directory.web.field_errors import from_mutation_error
from directory.web.form_inputs import Field, read_form, typed, version

FIELDS = (
    Field("name"),
    Field("services", "list"),
    Field("languages", "words"),
    Field("since", "date"),
    Field("hours", "decimal"),
    Field("degree", "enum", choices=("MASTER",)),
    Field("idNumber", omit_empty=True),
)


def test_a_form_becomes_the_values_of_an_input():
    form = FormData(
        [
            ("name", " 王芳 "),
            ("services", "invention_patent"),
            ("services", "patent_search"),
            ("languages", "en，ja、 fr"),
            ("since", "2019-07-01"),
            ("hours", "12.5"),
            ("degree", "MASTER"),
            ("idNumber", ""),
        ]
    )

    values, errors = read_form(form, FIELDS)

    assert not errors
    assert values == {
        "name": "王芳",
        "services": ["invention_patent", "patent_search"],
        "languages": ["en", "ja", "fr"],
        "since": "2019-07-01",
        "hours": "12.5",
        "degree": "MASTER",
    }


def test_values_no_scalar_would_take_are_problems_of_their_fields():
    form = FormData([("since", "2019-02-30"), ("hours", "NaN"), ("degree", "KING")])

    _, errors = read_form(form, FIELDS)

    assert errors.fields == {
        "since": "日期不合理（不能晚于今天，或先后顺序不对）",
        "hours": "内容不符合要求",
        "degree": "不是可选的项目",
    }
    assert typed(form, FIELDS)["since"] == "2019-02-30"  # shown again as typed
    assert version(FormData([("version", "x")])) == -1


def test_every_problem_of_a_mutation_error_lands_by_its_field():
    error = {
        "code": "INVALID_PHONE",
        "field": "contactPhone",
        "message": "not a valid phone number",
        "problems": [
            {"code": "INVALID_PHONE", "field": "contactPhone", "message": "…"},
            {"code": "UNKNOWN_CODE", "field": "services", "message": "…"},
            {"code": "CONFLICT", "field": "version", "message": "…"},
        ],
    }

    errors = from_mutation_error(error)

    assert errors.fields == {
        "contactPhone": "不是有效的电话号码（如 0827-5261234 或 13912345678）",
        "services": "不是可选的项目",
    }
    assert errors.conflict and errors.general[0].startswith("保存失败：这条记录刚被别人修改过")
    assert from_mutation_error(error, "en").fields["services"] == "not one of the choices"
