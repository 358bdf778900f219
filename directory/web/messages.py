"""The pages' words in Chinese and English; Chinese is the default language."""

from __future__ import annotations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# key: (Chinese, English); `{name}` placeholders are filled by `translate`.
MESSAGES: dict[str, tuple[str, str]] = {
    "site.name": ("巴中市知识产权服务名录", "Bazhong IP Service Directory"),
    "site.tagline": (
        "查找经市局核验的知识产权服务机构与从业人员",
        "Find IP service agencies and practitioners verified by the bureau",
    ),
    "site.skip": ("跳到正文", "Skip to content"),
    "site.footer": (
        "巴中市科学技术和知识产权局 · 知识产权公共服务平台",
        "Bazhong Science, Technology and IP Bureau · public IP service platform",
    ),
    "nav.label": ("主导航", "Main navigation"),
    "nav.directory": ("机构名录", "Directory"),
    "nav.match": ("找代理", "Find an agent"),
    "lang.switch": ("English", "中文"),
    "lang.switch_label": ("Switch to English", "切换到中文"),
    "directory.search": ("搜索机构", "Search agencies"),
    "directory.search_hint": (
        "名称、拼音或首字母，如 巴中 / bazhong / bzzl",
        "Name, pinyin or initials",
    ),
    "directory.search_button": ("搜索", "Search"),
    "directory.count": ("共 {n} 家机构", "{n} agencies"),
    "error.title": ("出错了", "Something went wrong"),
    "error.not_found": ("找不到这个页面。", "This page does not exist."),
    "error.server": (
        "服务暂时出现问题，请稍后再试。",
        "The service has a problem; please try again later.",
    ),
    "error.back": ("返回机构名录", "Back to the directory"),
    # sign-in, and the pages of administrators and the bureau
    "nav.signin": ("登录", "Sign in"),
    "nav.signout": ("退出登录", "Sign out"),
    "nav.admin": ("本机构管理", "My agency"),
    "nav.bureau": ("市局工作台", "Bureau"),
    "signin.title": ("机构管理员与市局登录", "Sign in: agency administrators and the bureau"),
    "signin.lead": (
        "请粘贴市局发给您的访问令牌。登录后，本浏览器在有效期内保持登录；用完请退出。",
        "Paste the access token the bureau gave you. The browser stays signed in for a while; "
        "sign out when you are done.",
    ),
    "signin.token": ("访问令牌", "Access token"),
    "signin.hint": (
        "令牌以 ipd_ 开头。不要把令牌告诉他人；遗失时请联系市局吊销。",
        "Tokens start with ipd_. Keep yours to yourself; "
        "if it is lost, ask the bureau to revoke it.",
    ),
    "signin.submit": ("登录", "Sign in"),
    "signin.failed": (
        "令牌无效、已过期或已被吊销，请核对后重试。",
        "The token is unknown, expired or revoked.",
    ),
    "signin.signed_out": ("您已退出登录。", "You are signed out."),
    "forbidden.title": ("无法完成操作", "Not allowed"),
    "forbidden.back": ("返回", "Back"),
    "csrf.refused": (
        "请求被拒绝：表单缺少有效的安全校验码，或来自其他网站。请回到页面刷新后重新提交。",
        "Refused: the form lacks a valid security code or came from another site. "
        "Reload the page and send it again.",
    ),
}


def translate(language: str, key: str, **values: object) -> str:
    """The message in `language`; an unknown key fails loudly so a typo is found in tests."""
    zh, en = MESSAGES[key]
    text = en if language == "en" else zh
    return text.format(**values) if values else text
