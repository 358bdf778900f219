"""The three sheets the bureau keeps: their Chinese column headers and what each column holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from directory.errors import api_name


class Cell(StrEnum):
    """How a cell is read."""

    TEXT = "text"
    DATE = "date"  # an Excel date, or YYYY-MM-DD text
    CODE = "code"  # one code or label of a reference table
    CODES = "codes"  # several, separated by 、 , or ;
    NUMBER = "number"  # a number cell, or text: 4000, 4,000, 85%


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    key: str  # the field of the services' input it fills; "" when the column is export-only
    cell: Cell = Cell.TEXT
    table: str = ""  # the reference table of CODE/CODES cells, see `labels.Labels`
    note: str = ""  # the template's one-line explanation
    private: bool = False  # exported only with --private (the bureau's flag)


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # as the command line names it
    title: str  # the worksheet's title
    columns: tuple[Column, ...]
    required: tuple[str, ...]  # headers the header row must have
    identity: tuple[str, ...]  # headers whose cells identify a record: a repeat is refused
    aliases: dict[str, str] = field(default_factory=dict)  # more problem fields -> header
    _by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # every cell of an import looks its column up
        object.__setattr__(self, "_by_header", {c.header: c for c in self.columns})

    def header_for(self, field: str) -> str:
        """The column header of a field as a problem names it (API names); "" when none is."""
        for column in self.columns:
            if column.key and api_name(column.key) == field:
                return column.header
        return self.aliases.get(field, "")

    def column(self, header: str) -> Column | None:
        return self._by_header.get(header)

    def position(self, header: str) -> int:
        """Where the column comes in the sheet; problems of no column come last."""
        headers = [c.header for c in self.columns]
        return headers.index(header) if header in headers else len(headers)


_LIST = "多个用 、 , 或 ; 分隔"

AGENCIES = Sheet(
    name="agencies",
    title="机构",
    required=("统一社会信用代码",),
    identity=("统一社会信用代码",),
    columns=(
        Column("机构名称", "name", note="新机构必填；最多 120 字"),
        Column("英文名称", "name_en"),
        Column("统一社会信用代码", "credit_code", note="必填；18 位。识别机构：已有的机构按它更新"),
        Column(
            "办公地区代码",
            "office_region",
            Cell.CODE,
            "region",
            "新机构必填；行政区划代码（如 511902）或名称（如 巴州区）",
        ),
        Column("机构类型", "kinds", Cell.CODES, "agency_kind", f"新机构必填；代码或名称，{_LIST}"),
        Column("服务项目", "services", Cell.CODES, "service", f"代码或名称，{_LIST}"),
        Column("技术领域", "fields", Cell.CODES, "technical_field", f"代码或名称，{_LIST}"),
        Column(
            "服务地区代码", "regions_served", Cell.CODES, "region", f"行政区划代码或名称，{_LIST}"
        ),
        Column("地址", "address"),
        Column("成立日期", "founded_on", Cell.DATE, note="日期格式或 YYYY-MM-DD 文本"),
        Column("联系人", "contact_name"),
        Column("联系电话", "contact_phone", note="对外公开的业务电话"),
        Column("电子邮箱", "contact_email"),
        Column("网站", "website", note="http:// 或 https:// 开头"),
        Column("简介", "description", note="最多 2000 字"),
        Column(
            "信用等级",
            "credit_grade",
            Cell.CODE,
            "credit_grade",
            "专利代理机构信用评价：A+、A、B、C 或 D；留空则清除（此列不在表中则不变）",
        ),
        Column("信用分", "credit_score", Cell.NUMBER, note="0 到 100，记到小数点后一位"),
        Column("信用评价日期", "credit_graded_on", Cell.DATE, note="有信用等级时必填"),
        Column(
            "列入经营异常名录日期",
            "abnormal_since",
            Cell.DATE,
            note="经营异常名录（公开信息）；留空则清除（此列不在表中则不变）",
        ),
        Column("列入经营异常名录原因", "abnormal_reason", note="列入时必填；最多 200 字"),
        Column("移出经营异常名录日期", "abnormal_removed_on", Cell.DATE, note="仍在名录中则留空"),
    ),
    aliases={
        "grade": "信用等级",
        "score": "信用分",
        "gradedOn": "信用评价日期",
        "since": "列入经营异常名录日期",
        "reason": "列入经营异常名录原因",
        "removedOn": "移出经营异常名录日期",
    },
)

PRACTITIONERS = Sheet(
    name="practitioners",
    title="从业人员",
    required=("身份证号",),
    identity=("身份证号",),
    aliases={"agencyId": "所属机构统一社会信用代码"},
    columns=(
        Column("姓名", "name", note="新人员必填"),
        Column(
            "身份证号",
            "id_number",
            private=True,
            note="必填；识别人员：已有的人员按它更新（请以文本格式填写）",
        ),
        Column(
            "所属机构统一社会信用代码",
            "agency_credit_code",
            note="新人员必填；机构须已在名录中。导入不调动人员的所属机构",
        ),
        Column("所属机构", "", note="仅导出，导入时忽略"),
        Column("工作单位", "employer"),
        Column("学历", "degree", Cell.CODE, "degree", "大专、本科、硕士 或 博士"),
        Column("专业", "major"),
        Column("语言", "languages", Cell.CODES, "language", f"如 中文、英语 或 zh、en，{_LIST}"),
        Column("技术领域", "fields", Cell.CODES, "technical_field", f"代码或名称，{_LIST}"),
        Column("执业起始日期", "practising_since", Cell.DATE, note="日期格式或 YYYY-MM-DD 文本"),
        Column("入职日期", "joined_agency_on", Cell.DATE, note="日期格式或 YYYY-MM-DD 文本"),
        Column("手机号码", "phone", private=True),
        Column("个人邮箱", "personal_email", private=True),
    ),
)

QUALIFICATIONS = Sheet(
    name="qualifications",
    title="资格证书",
    required=("身份证号", "资格类型", "证书编号"),
    identity=("资格类型", "证书编号"),
    aliases={"practitionerId": "身份证号"},
    columns=(
        Column("身份证号", "id_number", private=True, note="必填；持证人，须已在名录中"),
        Column("姓名", "", note="仅供查看，导入时忽略"),
        Column("资格类型", "kind", Cell.CODE, "qualification_kind", "必填；代码或名称"),
        Column("证书编号", "number", note="必填；同一类型的证书编号唯一：已有的证书按它更新"),
        Column("发证机关", "issuer"),
        Column("等级", "level", Cell.CODE, "level", "知识产权师：助理、中级 或 高级"),
        Column("发证日期", "issued_on", Cell.DATE, note="日期格式或 YYYY-MM-DD 文本"),
        Column("有效期至", "expires_on", Cell.DATE, note="长期有效则留空"),
    ),
)

LICENCES = Sheet(
    name="licences",
    title="机构执照与备案",
    required=("统一社会信用代码", "执照类型", "执照编号"),
    identity=("执照类型", "执照编号"),
    aliases={
        "agencyId": "统一社会信用代码",
        "kind": "执照类型",
        "number": "执照编号",
        "reason": "终止原因",
    },
    columns=(
        Column("统一社会信用代码", "credit_code", note="必填；持证机构，须已在名录中"),
        Column("机构名称", "", note="仅供查看，导入时忽略"),
        Column(
            "执照类型",
            "licence_kind",
            Cell.CODE,
            "licence_kind",
            "必填；代码或名称：专利代理机构执业许可、商标代理机构备案、"
            "律师事务所执业许可证 或 资产评估机构备案",
        ),
        Column("执照编号", "licence_number", note="必填；同一类型的编号唯一：已有的执照按它更新"),
        Column("发证机关", "issuer"),
        Column("发证日期", "issued_on", Cell.DATE, note="日期格式或 YYYY-MM-DD 文本"),
        Column(
            "有效期至",
            "expires_on",
            Cell.DATE,
            note="留空：有固定有效期的按发证日期推算，其余长期有效",
        ),
        Column("终止日期", "ended_on", Cell.DATE, note="被注销、撤销或放弃的日期；仍有效则留空"),
        Column("终止原因", "end_reason", note="有终止日期时必填"),
        Column("核验状态", "", note="仅导出：市局导入的执照即为已核验"),
    ),
)

STATISTICS = Sheet(
    name="statistics",
    title="统计数据",
    required=("统计项", "地区代码", "统计日期", "数值"),
    identity=("统计项", "地区代码", "统计日期"),
    columns=(
        Column("统计项", "statistic", Cell.CODE, "statistic", "必填；代码或名称，见代码表"),
        Column(
            "地区代码",
            "region",
            Cell.CODE,
            "region",
            "必填；行政区划代码（如 511900）或名称（如 巴中市）；市的数据填市，不由各县相加",
        ),
        Column(
            "统计日期",
            "as_of",
            Cell.DATE,
            note="必填；存量（如有效注册量）填统计当日，年度数（如年申请量）填该年最后一天。"
            "统计项、地区和日期相同的一行更新已有的数据",
        ),
        Column(
            "数值",
            "value",
            Cell.NUMBER,
            note="必填；件数、家数、金额（万元），或比例（0.85 或 85%）",
        ),
        Column("数据来源", "source", note="发布数据的单位，最多 200 字"),
        Column("备注", "note", note="最多 500 字"),
    ),
)

SHEETS = {
    sheet.name: sheet for sheet in (AGENCIES, PRACTITIONERS, QUALIFICATIONS, LICENCES, STATISTICS)
}
