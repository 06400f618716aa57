"""Errors and warnings in the learner's language: the prefix, and the messages a learner meets.

Messages are raised in English (logs, CI and tests read them); when the interface is Chinese, the ones
a learner meets are translated here, by pattern, just before they are printed. Paths, commands, flags
and identifiers inside them stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PREFIX = {"en": {"error": "error:", "warning": "warning:"}, "zh": {"error": "错误：", "warning": "警告："}}

_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in [
    # katas
    (r"^unknown kata '(.*)' \(did you mean (.*)\?\); `prep kata` lists them$",
     "没有练习“{0}”（是不是想找 {1}？）；`prep kata` 列出全部练习"),
    (r"^unknown kata '(.*)'; `prep kata` lists them$", "没有练习“{0}”；`prep kata` 列出全部练习"),
    (r"^(\S+) needs a kata: `(.*)`, e\.g\. `(.*)`; `prep kata` lists them$",
     "{0} 需要指定练习：`{1}`，例如 `{2}`；`prep kata` 列出全部练习"),
    (r"^--json lists the catalogue and takes no kata: `(.*)`, or `(.*)` to open this one$",
     "--json 只用于列出练习目录，不接练习名：`{0}`；打开这个练习用 `{1}`"),
    (r"^(\S+) and (\S+) cannot go together: run `(.*)`, then `(.*)`$",
     "{0} 和 {1} 不能同时使用：先运行 `{2}`，再运行 `{3}`"),
    (r"^(\S+) only goes with (.*): `(.*)`$", "{0} 只能与 {1} 一起使用：`{2}`"),
    (r"^(.*): no such file; run `(.*)` to create it$", "{0}：文件不存在；运行 `{1}` 创建它"),
    (r"^(.*): is a folder; give the submission's file$", "{0}：这是一个文件夹；请给出提交的文件"),
    (r"^workspace (.*): not a folder \(--workspace or PREP_WORKSPACE\)$",
     "工作区 {0} 不是文件夹（--workspace 或 PREP_WORKSPACE）"),
    (r"^(.*): cannot create the workspace file: (.*)$", "{0}：无法创建工作区文件：{1}"),
    (r"^unknown language '(.*)': use en, zh or both$", "没有语言“{0}”：请用 en、zh 或 both"),
    # the progress store
    (r"^(.*): another prep session has held it for more than (\d+) s; finish that session and try again$",
     "{0}：另一个 prep 会话占用它已超过 {1} 秒；结束那个会话后再试"),
    (r"^(.*): the disk is full; free some space and try again$", "{0}：磁盘已满；腾出空间后再试"),
    (r"^(.*): it is read-only here; set PREP_HOME to a folder you can write$",
     "{0}：这里是只读的；请把 PREP_HOME 设为一个可写的文件夹"),
    (r"^(.*): opened read-only; set PREP_HOME to a folder you can write$",
     "{0}：以只读方式打开；请把 PREP_HOME 设为一个可写的文件夹"),
    (r"^(.*): it is damaged; run `prep doctor` to recover it$", "{0}：数据库已损坏；运行 `prep doctor` 恢复"),
    (r"^(.*): the progress database is damaged \((.*)\); run `prep doctor`$",
     "{0}：进度数据库已损坏（{1}）；运行 `prep doctor`"),
    (r"^(.*): written by a newer prep \(schema (\d+), this one reads (\d+)\); upgrade prep, your progress is "
     r"untouched$", "{0}：由更新版本的 prep 写入（格式 {1}，本版本只能读 {2}）；请升级 prep，你的进度没有被改动"),
    (r"^(.*) does not validate \((.*)\); run `prep doctor`$", "{0} 校验失败（{1}）；运行 `prep doctor`"),
    (r"^not saved: (.*): (.*)$", "没有保存：{0}：{1}"),
]]


def localize(message: str, lang: str) -> str:
    """The message in `lang`: Chinese where a pattern knows it (recursively for a wrapped cause)."""
    if lang != "zh":
        return message
    for pattern, zh in _ZH:
        found = pattern.match(message)
        if found:
            parts = [localize(g, lang) if i == len(found.groups()) - 1 else g for i, g in enumerate(found.groups())]
            return zh.format(*parts)
    return message


def argv_lang(argv: Sequence[str]) -> str:
    """The interface language for an error raised before (or outside) a command's own: --lang, else
    PREP_LANG, else the locale; en when unsure. `both` prints errors in English."""
    from prep.lang import resolve_lang

    value = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    try:
        return resolve_lang(value if value in ("en", "zh", "both") else None)
    except Exception:  # noqa: BLE001 - a bad PREP_LANG must not hide the error being reported
        return "en"
