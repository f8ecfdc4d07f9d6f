"""One self-contained HTML page for a review round: no network, CSS and JS inline (html_template.html).

The page is complete without JavaScript (everything is rendered here); the script only filters by
severity, category, rule and text, and reads initial filters from the address (`#sev=error&rule=DL401`).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from importlib.resources import files
from typing import Any

from .. import __version__
from ..model import Diagnostic
from .common import CATEGORY_ZH, SEV_ZH, STATUS_ZH, basis_text, kind_zh, location_zh, rules_by_id

_FACTS = (
    ("unit", "项目单位"),
    ("total_investment", "投资额度（万元）"),
    ("om_funding", "运维经费（万元）"),
    ("project_type", "项目类型"),
    ("mode", "实施方式"),
    ("funding_channels", "经费渠道"),
    ("period", "项目周期"),
)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _fact(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f")
    return str(value)


def _finding(d: Diagnostic, title: str) -> str:
    waived = d.waived is not None
    classes = f"finding {d.severity}" + (" waived filtered-out" if waived else "")
    where = [f"<code>{_e(d.file)}</code>" if d.file else "<code>整个申报包</code>"]
    place = location_zh(d.loc)
    if place:
        where.append(_e(place))
    parts = [
        f'<div class="{classes}" data-sev="{_e(d.severity)}" data-cat="{_e(d.category)}" '
        f'data-rule="{_e(d.rule)}" data-waived="{1 if waived else 0}" data-fp="{_e(d.fingerprint)}">',
        '<div class="head">',
        f'<span class="badge {_e(d.severity)}">{_e(SEV_ZH.get(d.severity, d.severity))}</span>',
        f'<span class="msg">{_e(d.message)}</span>',
        f'<span class="rule" title="{_e(title)}">{_e(d.rule)} · {_e(CATEGORY_ZH.get(d.category, d.category))}</span>',
    ]
    if d.state == "new":
        parts.append('<span class="badge muted">新增</span>')
    elif d.state == "unchanged":
        parts.append('<span class="badge muted">与上次相同</span>')
    parts.append("</div>")
    parts.append(f'<div class="where">{" · ".join(where)}</div>')
    if d.evidence:
        parts.append(f"<blockquote>{_e(d.evidence)}</blockquote>")
    basis = basis_text(d)
    if basis:
        parts.append(f'<div class="basis">{_e(basis)}</div>')
    if waived:
        parts.append(f'<div class="waivednote">已豁免：{_e(d.waived)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _package(idx: int, res: Any, rules: dict[str, Any]) -> str:
    pkg = res.package
    c = res.counts()
    cls = "pkg" + (" has-error" if c["error"] else " has-warning" if c["warning"] else "")
    pid = f"pkg-{idx}"
    badges = "".join(
        f'<span class="badge {s}" title="{SEV_ZH[s]}">{SEV_ZH[s]} {c[s]}</span>' for s in ("error", "warning", "info") if c[s]
    ) or '<span class="badge ok">未发现问题</span>'
    if res.waived:
        badges += f'<span class="badge muted">已豁免 {len(res.waived)}</span>'
    out = [
        f'<details class="{cls}" id="{pid}"{" open" if c["error"] or c["warning"] else ""}>',
        f'<summary><h3>{_e(pkg.facts.get("name") or pkg.name)}<span class="path">{_e(pkg.path)}</span></h3>',
        f'{badges}<span class="badge muted" title="当前筛选下显示的问题数">显示 <span class="vis">'
        f"{len(res.diagnostics)}</span></span></summary>",
        '<div class="body">',
    ]
    facts = [(label, pkg.facts.get(key)) for key, label in _FACTS if pkg.facts.get(key) not in (None, "", [])]
    if facts:
        out.append('<div class="facts">')
        out += [f"<div><span>{_e(label)}</span>{_e(_fact(v))}</div>" for label, v in facts]
        out.append("</div>")
    out.append(f"<h4>申报材料（{len(pkg.documents)} 个文件）</h4>")
    out.append('<table class="docs"><thead><tr><th>文件</th><th>识别为</th><th>格式</th><th class="num">页数</th>'
               "<th>读取</th><th>说明</th></tr></thead><tbody>")
    for doc in pkg.documents:
        kind = kind_zh(doc.kind)
        if doc.parts:
            kind += "（另含：" + "、".join(kind_zh(p) for p in doc.parts) + "）"
        out.append(
            f'<tr><td>{_e(doc.path)}</td><td title="{_e(doc.kind_reason)}">{_e(kind)}</td><td>{_e(doc.format)}</td>'
            f'<td class="num">{_e(doc.pages or "")}</td><td class="status {_e(doc.status)}">'
            f'{_e(STATUS_ZH.get(doc.status, doc.status))}</td><td class="reason">{_e(doc.reason or "")}</td></tr>'
        )
    if not pkg.documents:
        out.append('<tr><td colspan="6" class="reason">（没有可检查的文件）</td></tr>')
    out.append("</tbody></table>")
    out.append(f"<h4>检查发现（{len(res.diagnostics)} 项）</h4>")
    findings = list(res.diagnostics) + list(res.unchanged) + list(res.waived)
    if findings:
        order = {"error": 0, "warning": 1, "info": 2}
        for d in sorted(findings, key=lambda d: (d.waived is not None, order.get(d.severity, 3), d.sort_key())):
            out.append(_finding(d, getattr(rules.get(d.rule), "title", "") or d.name))
        out.append('<div class="empty-filter filtered-out">当前筛选条件下没有问题。</div>')
    if not res.diagnostics:
        out.append('<div class="none">✓ 工具检查未发现问题。</div>' if not res.unchanged
                   else '<div class="none">✓ 与上次提交相比没有新问题。</div>')
    if res.fixed:
        out.append(f"<h4>与上次提交相比已修复（{len(res.fixed)} 项）</h4><ul class=\"fixed\">")
        out += [f"<li><code>{_e(f.get('rule'))}</code> {_e(f.get('message', ''))}"
                + (f" <code>{_e(f['file'])}</code>" if f.get("file") else "") + "</li>" for f in res.fixed]
        out.append("</ul>")
    out.append("</div></details>")
    return "".join(out)


def build_body(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    rules = rules_by_id(settings)
    c = run.counts()
    waived = sum(len(p.waived) for p in run.packages)
    profile = getattr(settings, "profile", "")
    made = datetime.now().strftime("%Y-%m-%d %H:%M")
    out = [
        '<header class="top"><h1>政务信息化项目申报材料检查报告</h1>',
        f'<div class="meta">规则包：{_e(profile)} · 生成时间：{_e(made)} · dossier-lint {_e(__version__)}'
        " · 工具初筛结果，供审查人员参考</div></header><main>",
        '<div class="cards">',
        f'<div class="card"><div class="n">{len(run.packages)}</div><div class="l">申报包</div></div>',
        f'<div class="card err"><div class="n" id="n-error">{c["error"]}</div><div class="l">错误</div></div>',
        f'<div class="card warn"><div class="n" id="n-warning">{c["warning"]}</div><div class="l">警告</div></div>',
        f'<div class="card info"><div class="n" id="n-info">{c["info"]}</div><div class="l">提示</div></div>',
        f'<div class="card waived"><div class="n">{waived}</div><div class="l">已豁免</div></div>',
        "</div>",
    ]
    # the round at a glance: by category, and the packages ranked by errors
    by_cat: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    for d in run.diagnostics():
        by_cat[d.category] = by_cat.get(d.category, 0) + 1
        by_rule[d.rule] = by_rule.get(d.rule, 0) + 1
    out.append('<section class="panel"><h2>本轮概况</h2>')
    if by_cat:
        out.append('<div class="cats">')
        for cat, n in sorted(by_cat.items(), key=lambda kv: -kv[1]):
            out.append(f'<span class="cat" data-cat="{_e(cat)}" title="点击按此类别筛选">'
                       f"{_e(CATEGORY_ZH.get(cat, cat))}<b>{n}</b></span>")
        out.append("</div>")
    if by_rule:
        out.append('<h4>常见问题（按规则）</h4><div class="cats">')
        for rule_id, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:12]:
            title = getattr(rules.get(rule_id), "title", "") or rule_id
            out.append(f'<span class="cat" data-rule="{_e(rule_id)}" title="点击按此规则筛选">'
                       f"{_e(rule_id)} {_e(title)}<b>{n}</b></span>")
        out.append("</div>")
    ranked = sorted(
        enumerate(run.packages),
        key=lambda ir: (-ir[1].counts()["error"], -ir[1].counts()["warning"], -ir[1].counts()["info"], ir[0]),
    )
    out.append('<h4>申报包（按错误数排序）</h4><table class="rank"><thead><tr><th class="num">#</th><th>项目</th>'
               '<th class="num">错误</th><th class="num">警告</th><th class="num">提示</th><th class="num">文件</th>'
               '<th class="num">无法读取</th></tr></thead><tbody>')
    for rank, (i, res) in enumerate(ranked, 1):
        pc = res.counts()
        unreadable = sum(1 for d in res.package.documents if d.status == "unreadable")
        clean = "" if any(pc.values()) else ' class="clean"'
        name = res.package.facts.get("name") or res.package.name
        out.append(
            f'<tr data-pkg="pkg-{i}"{clean}><td class="num">{rank}</td><td class="name"><a href="#pkg-{i}">{_e(name)}</a></td>'
            f'<td class="num e">{pc["error"] or ""}</td><td class="num w">{pc["warning"] or ""}</td>'
            f'<td class="num">{pc["info"] or ""}</td><td class="num">{len(res.package.documents)}</td>'
            f'<td class="num e">{unreadable or ""}</td></tr>'
        )
    out.append("</tbody></table></section>")
    # filters
    all_rules = sorted({d.rule for p in run.packages for d in list(p.diagnostics) + list(p.waived)})
    out.append('<section class="panel"><div class="filters">')
    out.append('<span class="sevbox">' + "".join(
        f'<label class="{s}"><input type="checkbox" name="sev" value="{s}" checked>{SEV_ZH[s]}</label>'
        for s in ("error", "warning", "info")
    ) + "</span>")
    out.append('<label>类别 <select id="f-cat"><option value="">全部</option>' + "".join(
        f'<option value="{_e(cat)}">{_e(CATEGORY_ZH.get(cat, cat))}</option>' for cat in sorted(by_cat)
    ) + "</select></label>")
    out.append('<label>规则 <select id="f-rule"><option value="">全部</option>' + "".join(
        f'<option value="{_e(r)}">{_e(r)} {_e(getattr(rules.get(r), "title", ""))}</option>' for r in all_rules
    ) + "</select></label>")
    out.append('<label>搜索 <input type="search" id="f-q" placeholder="文字、文件名…"></label>')
    out.append('<label><input type="checkbox" id="f-only">只看有问题的申报包</label>')
    out.append('<label><input type="checkbox" id="f-waived">显示已豁免</label>')
    out.append(f'<span id="shown">显示 <b id="shown-n">{c["error"] + c["warning"] + c["info"]}</b> 项</span>')
    out.append("</div></section>")
    for i, res in enumerate(run.packages):
        out.append(_package(i, res, rules))
    if not run.packages:
        out.append('<section class="panel">没有找到申报包。</section>')
    out.append(f"<footer>dossier-lint {_e(__version__)} · 本报告由工具自动生成，结论以审查人员意见为准。</footer></main>")
    return "\n".join(out)


def render(run: Any, settings: Any, opts: dict[str, Any]) -> str:
    template = files(__package__).joinpath("html_template.html").read_text(encoding="utf-8")
    title = f"申报材料检查报告 · {len(run.packages)} 个申报包"
    return (
        template.replace("{{TITLE}}", _e(title))
        .replace("{{VERSION}}", _e(__version__))
        .replace("{{BODY}}", build_body(run, settings, opts))
    )
