"""The Chinese name of every input field, as the pages and the import sheets show it.

Messages name fields by these labels in their Chinese part and by the API's names in their
English part (`errors.says`); the import sheets' column headers are the same words
(`tests/test_messages.py` checks both). A new input field gets its label here.
"""

from __future__ import annotations

from functools import lru_cache

from directory.errors import api_name

FIELD_LABELS: dict[str, str] = {
    # agencies
    "name": "名称",
    "nameEn": "英文名称",
    "creditCode": "统一社会信用代码",
    "status": "状态",
    "officeRegion": "办公地区代码",
    "kinds": "机构类型",
    "services": "服务项目",
    "service": "服务项目",
    "fields": "技术领域",
    "field": "技术领域",
    "regionsServed": "服务地区代码",
    "address": "地址",
    "foundedOn": "成立日期",
    "contactName": "联系人",
    "contactPhone": "联系电话",
    "contactEmail": "电子邮箱",
    "website": "网站",
    "description": "简介",
    "verified": "核验状态",
    "webhookUrl": "推送地址",
    "url": "网址",
    "email": "电子邮箱",
    "filedOn": "报送日期",
    "year": "年度",
    # practitioners
    "agencyId": "所属机构",
    "agencyCreditCode": "所属机构统一社会信用代码",
    "idNumber": "身份证号",
    "employer": "工作单位",
    "degree": "学历",
    "major": "专业",
    "languages": "语言",
    "language": "语言",
    "practisingSince": "执业起始日期",
    "joinedAgencyOn": "入职日期",
    "internshipStartedOn": "实习开始日期",
    "internshipEndedOn": "实习结束日期",
    "phone": "手机号码",
    "personalEmail": "个人邮箱",
    "practitionerId": "从业人员",
    # qualifications and training
    "kind": "资格类型",
    "qualificationKind": "资格类型",
    "number": "证书编号",
    "issuer": "发证机关",
    "level": "等级",
    "issuedOn": "发证日期",
    "expiresOn": "有效期至",
    "course": "课程",
    "provider": "培训机构",
    "hours": "学时",
    "completedOn": "完成日期",
    # agency licences, credit grade and the abnormal list
    "endedOn": "终止日期",
    "reason": "原因",
    "grade": "信用等级",
    "score": "信用分",
    "gradedOn": "评价日期",
    "removedOn": "移出日期",
    "endReason": "终止原因",
    "licenceVerification": "执照核验状态",
    "licenceKind": "执照类型",
    "licenceNumber": "执照编号",
    "licenceIssuedOn": "执照发证日期",
    "licenceExpiresOn": "执照有效期至",
    "creditGrade": "信用等级",
    "creditScore": "信用分",
    "creditGradedOn": "信用评价日期",
    "abnormalSince": "列入经营异常名录日期",
    "abnormalReason": "列入经营异常名录原因",
    "abnormalRemovedOn": "移出经营异常名录日期",
    # annual assessments
    "qualificationId": "资格证书",
    "result": "考核结果",
    "assessedOn": "考核决定日期",
    # reviews
    "firmCreditCode": "企业统一社会信用代码",
    "firmName": "企业名称",
    "engagementRef": "委托编号",
    "rating": "评分",
    "satisfied": "是否满意",
    "comment": "评价内容",
    # engagement requests
    "agencyIds": "机构",
    "message": "留言",
    "token": "链接",
    "requestId": "委托请求",
    # targets
    "key": "目标代码",
    "metric": "指标",
    "threshold": "目标值",
    "deadline": "截止日期",
    "region": "地区代码",
    "servesRegion": "服务地区",
    "descriptionZh": "中文说明",
    "descriptionEn": "英文说明",
    # tokens, paging and the rest
    "role": "角色",
    "validDays": "有效天数",
    "first": "条数",
    "after": "翻页位置",
    "id": "编号",
    "version": "版本",
    "text": "文字",
    "need": "需求",
    "authorization": "登录令牌",
    "input": "输入",
    "dueFrom": "起始日期",
    "dueTo": "截止日期",
    "from": "起始日期",
    "to": "截止日期",
    "since": "起始时间",
    "entityId": "记录编号",
    "entityType": "记录类型",
    "subjectType": "对象类型",
    "interval": "统计周期",
    "parent": "上级地区",
    "active": "仅在职",
    "agency": "所属机构",
    "hidden": "隐藏",
    "on": "日期",
    "qualificationVerification": "资格核验状态",
    "rotateSecret": "更换密钥",
    "rule": "规则",
    # statistics the bureau records
    "statistic": "统计项",
    "asOf": "统计日期",
    "value": "数值",
    "source": "数据来源",
    "note": "备注",
}


@lru_cache(maxsize=4096)  # field names, asked for again and again
def label(field: str) -> str:
    """The Chinese label of a field named as the API or the services name it (`need.region`
    and `issued_on` too); the API's name itself when the table lacks one."""
    name = api_name(field.rsplit(".", 1)[-1])
    return FIELD_LABELS.get(name, name)
