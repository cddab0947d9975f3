// docgen serve: helpers shared by every page (no framework, no build step).
"use strict";

const dg = {
  async api(method, url, body, raw) {
    const options = { method, headers: {} };
    if (raw) { options.body = raw.body; Object.assign(options.headers, raw.headers || {}); }
    else if (body !== undefined) { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
    const response = await fetch(url, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = { thong_bao: "Máy chủ trả lời không đọc được (" + response.status + ")." }; }
    return { ok: response.ok, status: response.status, data };
  },
  param(name) { return new URLSearchParams(location.search).get(name); },
  // the same spelling as docgen.loader.format_path: noi_dung[1].chi_dao
  formatPath(path) {
    let out = "";
    for (const part of path) out += typeof part === "number" ? `[${part}]` : (out ? "." + part : part);
    return out;
  },
  getAt(obj, path) {
    let cur = obj;
    for (const part of path) { if (cur == null) return undefined; cur = cur[part]; }
    return cur;
  },
  setAt(obj, path, value) {
    let cur = obj;
    for (let i = 0; i < path.length - 1; i++) {
      if (cur[path[i]] == null || typeof cur[path[i]] !== "object") cur[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      cur = cur[path[i]];
    }
    const last = path[path.length - 1];
    if (value === null || value === undefined || value === "") {
      if (Array.isArray(cur)) cur[last] = value; else if (last in cur) cur[last] = null;
    } else cur[last] = value;
  },
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c != null) node.append(c);
    return node;
  },
  notify(message, isError) {
    const box = document.getElementById("thong-bao");
    box.textContent = message; box.className = isError ? "loi" : ""; box.hidden = false;
    clearTimeout(dg._t); dg._t = setTimeout(() => { box.hidden = true; }, isError ? 9000 : 4000);
  },
  // list the folder's sources of some kinds into a <select>
  async fillFiles(select, current) {
    const kinds = (select.dataset.loai || "").split(" ");
    const { ok, data } = await dg.api("GET", "/api/van-ban");
    if (!ok) return [];
    const files = data.van_ban.filter(f => kinds.includes(f.loai));
    for (const f of files) select.append(dg.el("option", { value: f.tep, text: f.tep + (f.tieu_de ? " — " + f.tieu_de : "") }));
    if (current) {
      if (![...select.options].some(o => o.value === current)) select.append(dg.el("option", { value: current, text: current }));
      select.value = current;
    }
    return files;
  },
  // problems next to their fields (data-field = the YAML path), and all of them as the CLI prints them
  showErrors(problems, summary) {
    document.querySelectorAll(".loi-o").forEach(n => n.remove());
    document.querySelectorAll(".co-loi").forEach(n => n.classList.remove("co-loi"));
    if (summary) { summary.hidden = !problems.length; summary.textContent = problems.map(p => p.dong_lenh).join("\n"); }
    for (const p of problems) {
      let field = p.truong || "";
      let target = null;
      while (field !== null) {
        target = document.querySelector(`[data-field="${CSS.escape(field)}"]`);
        if (target || !field) break;
        const cut = Math.max(field.lastIndexOf("."), field.lastIndexOf("["));
        field = cut > 0 ? field.slice(0, cut) : (field ? "" : null);
      }
      if (!target) continue;
      target.classList.add("co-loi");
      target.append(dg.el("div", { class: "loi-o", text: p.thong_bao }));
    }
  },
  // one labelled input bound to a path of `doc`: kind "" (one line), "dai" (long text), "dong" (one item per
  // line), "chon" (a choice of `choices`); `changed` runs after each edit
  field(doc, pathText, label, placeholder, kind, choices, changed) {
    const path = pathText.split(".");
    const value = dg.getAt(doc, path);
    let input;
    if (kind === "chon") {
      input = dg.el("select", {}, choices.map(c => dg.el("option", { value: c, text: c || "(ký thay mặt chính mình)" })));
      input.value = value || "";
    } else if (kind === "dong" || kind === "dai") {
      input = dg.el("textarea", { rows: kind === "dong" ? 3 : 2, placeholder });
      input.value = kind === "dong" ? dg.linesOf(value) : (value || "");
    } else {
      input = dg.el("input", { placeholder });
      input.value = value == null ? "" : value;
    }
    input.name = pathText;
    input.addEventListener("input", () => {
      dg.setAt(doc, path, kind === "dong" ? dg.listOf(input.value) : (input.value.trim() === "" ? null : input.value));
      if (changed) changed();
    });
    return dg.el("label", { "data-field": pathText, class: kind === "dong" || kind === "dai" ? "rong" : "" }, label, input);
  },
  // text of a list of lines in a textarea, and back
  linesOf(value) { return Array.isArray(value) ? value.join("\n") : (value || ""); },
  listOf(text) { const lines = text.split("\n").map(s => s.trim()).filter(Boolean); return lines.length ? lines : null; },
};
