"""The site's identity at the foot of every page, as the 政府网站发展指引 (国办发〔2017〕47号) asks of a
government website: 主办单位, 联系方式, 网站标识码, ICP 备案号, 公安机关备案号, and the entry to the national
政府网站找错 service. Plain data in (the `identity` options of the disclosure plugin), plain data out
(the footer's fields, in order; a field that is not configured is left out)."""

from __future__ import annotations

import re
from urllib.parse import quote

ICP_URL = "https://beian.miit.gov.cn/"  # 工业和信息化部 ICP/IP 地址/域名信息备案管理系统
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="  # 全国互联网安全管理服务平台
ERROR_URL = "https://zfwzzc.www.gov.cn/"  # 政府网站找错 (国务院办公厅)
ERROR_SITE_URL = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode="

_DIGITS = re.compile(r"\d{6,}")


def footer_fields(options: dict) -> list[dict]:
    """[{key, label, text, href}] for the configured fields, in the order of the guideline."""
    def text(key):
        value = options.get(key)
        return str(value).strip() if value is not None and str(value).strip() else ""

    fields = []
    if text("organizer"):
        fields.append({"key": "organizer", "label": "主办单位", "text": text("organizer"), "href": None})
    if text("contact"):
        fields.append({"key": "contact", "label": "联系方式", "text": text("contact"), "href": None})
    if text("site_code"):
        fields.append({"key": "site_code", "label": "网站标识码", "text": text("site_code"), "href": None})
    if text("icp"):
        fields.append({"key": "icp", "label": "ICP备案号", "text": text("icp"), "href": ICP_URL})
    if text("police"):
        number = _DIGITS.search(text("police"))
        fields.append({"key": "police", "label": "公安机关备案号", "text": text("police"),
                       "href": POLICE_URL + number.group(0) if number else None})
    return fields


def error_link(options: dict) -> str | None:
    """The 找错 entry's address: the site's own page at the national service when the site has a
    网站标识码, the service's home page otherwise; None when the entry is switched off."""
    if not options.get("report_error"):
        return None
    code = str(options.get("site_code") or "").strip()
    return ERROR_SITE_URL + quote(code) if code else ERROR_URL
