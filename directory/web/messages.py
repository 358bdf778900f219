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
}


def translate(language: str, key: str, **values: object) -> str:
    """The message in `language`; an unknown key fails loudly so a typo is found in tests."""
    zh, en = MESSAGES[key]
    text = en if language == "en" else zh
    return text.format(**values) if values else text
