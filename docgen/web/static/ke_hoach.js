// Kế hoạch: the header form and the outline editor. The page edits `doc` (the source's data) and sends it
// whole; the server writes back only what changed and refuses anything that does not validate.
"use strict";
(function () {
  let tep = dg.param("tep");
  let doc = null, version = null, dirty = false;
  const HEADS = { muc: "Mục", khoan: "Khoản", diem: "Điểm", nhiem_vu: "Nhiệm vụ" };
  const KIND_NAME = { ...HEADS, doan: "Đoạn văn", gach: "Gạch đầu dòng", dem: "Đánh số (1)" };
  const HEADER = [
    ["co_quan.chu_quan", "Cơ quan chủ quản", "UBND TỈNH QUẢNG NGÃI"], ["co_quan.ten", "Cơ quan ban hành", "BAN DÂN TỘC"],
    ["co_quan.viet_tat", "Chữ viết tắt (ký hiệu)", "BDT"], ["co_quan.ten_goi", "Tên cơ quan trong câu văn", "Ban Dân tộc tỉnh"],
    ["so", "Số (để trống khi là dự thảo)", ""], ["dia_danh", "Địa danh", "Quảng Ngãi"],
    ["ngay_ban_hanh", "Ngày ban hành (YYYY-MM-DD hoặc DD/MM/YYYY)", "2025-01-05"], ["nam", "Năm của kế hoạch", "2025"],
    ["trich_yeu", "Trích yếu", "Thực hiện công tác … năm 2025", "dai"],
    ["mo_dau.truoc", "Câu mở đầu: chữ đứng trước các căn cứ", "Thực hiện"],
    ["mo_dau.sau", "Câu mở đầu: phần sau các căn cứ", "… xây dựng Kế hoạch …, cụ thể như sau:", "dai"],
  ];
  const FOOTER = [
    ["noi_nhan", "Nơi nhận (mỗi dòng một nơi)", "UBND tỉnh\nCác phòng thuộc Ban", "dong"],
    ["luu", "Lưu (mỗi dòng một chỗ)", "VT\nVP", "dong"],
    ["nguoi_ky.thay_mat", "Thay mặt (TM.), nếu có", ""],
    ["nguoi_ky.quyen_han", "Quyền hạn ký", "", "chon", ["", "KT", "Q", "TL", "TUQ"]],
    ["nguoi_ky.thu_truong", "Chức vụ thủ trưởng (khi KT./TL./TUQ.)", "Trưởng Ban"],
    ["nguoi_ky.chuc_vu", "Chức vụ người ký", "Trưởng Ban"], ["nguoi_ky.ho_ten", "Họ tên người ký", "Nguyễn Văn A"],
  ];
  const TASK_FIELDS = [["id", "Mã nhiệm vụ (cố định)"], ["chi_dao", "Chỉ đạo thực hiện"], ["chu_tri", "Chủ trì"],
    ["phoi_hop", "Phối hợp"], ["san_pham", "Sản phẩm"], ["thoi_gian", "Thời gian thực hiện"],
    ["han", "Hạn (quy_I…quy_IV, thang_12, 2025-03-31, thuong_xuyen)"]];
  const CITE = [["loai", "Loại", "Quyết định"], ["so_ky_hieu", "Số, ký hiệu", "1782/QĐ-UBND"], ["ngay", "Ngày", "21/12/2022"],
    ["co_quan", "Cơ quan ban hành", "Chủ tịch UBND tỉnh"], ["trich_yeu", "Trích yếu", "về việc …"]];

  const select = document.getElementById("chon-tep");
  const summary = document.getElementById("tom-tat-loi");
  const status = document.getElementById("trang-thai-luu");
  select.addEventListener("change", () => { location.href = "/ke-hoach?tep=" + encodeURIComponent(select.value); });
  window.addEventListener("beforeunload", e => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });

  function changed() { dirty = true; status.textContent = "Chưa lưu"; }

  function field(pathText, label, placeholder, kind, choices) {
    return dg.field(doc, pathText, label, placeholder, kind, choices, changed);
  }

  function renderHeader() {
    const head = document.getElementById("phan-dau"); head.textContent = "";
    HEADER.forEach(f => head.append(field(...f)));
    const foot = document.getElementById("phan-cuoi"); foot.textContent = "";
    FOOTER.forEach(f => foot.append(field(...f)));
    renderCitations();
  }

  function renderCitations() {
    const box = document.getElementById("can-cu"); box.textContent = "";
    (doc.can_cu || []).forEach((c, i) => {
      const row = dg.el("div", { class: "luoi", "data-field": `can_cu[${i}]` });
      for (const [key, label, ph] of CITE) {
        const input = dg.el("input", { placeholder: ph, name: `can_cu[${i}].${key}` });
        input.value = c[key] || "";
        input.addEventListener("input", () => { c[key] = input.value.trim() ? input.value : null; changed(); });
        row.append(dg.el("label", { "data-field": `can_cu[${i}].${key}` }, label, input));
      }
      row.append(dg.el("div", {}, dg.el("button", { type: "button", class: "nho", text: "✕ Bỏ căn cứ này",
        onclick: () => { doc.can_cu.splice(i, 1); if (!doc.can_cu.length) delete doc.can_cu; changed(); renderCitations(); } })));
      box.append(row);
    });
  }
  document.getElementById("them-can-cu").addEventListener("click", () => {
    (doc.can_cu = doc.can_cu || []).push({ loai: "Quyết định" }); changed(); renderCitations();
  });

  // ---- the outline ----
  function kindOf(block) {
    if (typeof block === "string") return "doan";
    for (const k of ["muc", "khoan", "diem", "nhiem_vu", "gach", "dem"]) if (block && k in block) return k;
    return "doan";
  }
  // a list in a textarea as it prints: "- item", sub-items indented "  + item"
  function listText(items, depth) {
    const d = depth || 0;
    const lead = d === 0 ? "- " : "  ".repeat(d) + "+ ";
    return (items || []).map(it => typeof it === "string" ? lead + it
      : lead + (it.doan || "") + (it.gach && it.gach.length ? "\n" + listText(it.gach, d + 1) : "")).join("\n");
  }
  function listFrom(text) {
    const root = []; const stack = [{ depth: -1, items: root }];
    for (const raw of text.split("\n")) {
      if (!raw.trim()) continue;
      const depth = Math.floor((raw.length - raw.trimStart().length) / 2);
      while (stack.length > 1 && stack[stack.length - 1].depth >= depth) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent.items === null) {  // a line with lines under it: {doan, gach}
        const item = { doan: parent.owner[parent.index], gach: [] };
        parent.owner[parent.index] = item; parent.items = item.gach;
      }
      parent.items.push(raw.trim().replace(/^[-+] ?/, ""));
      stack.push({ depth, items: null, owner: parent.items, index: parent.items.length - 1 });
    }
    return root;
  }
  function uniqueId() {
    const used = new Set(JSON.stringify(doc.noi_dung || []).match(/"id":"[^"]*"/g) || []);
    for (let n = 1; ; n++) if (!used.has(`"id":"nv_${n}"`)) return `nv_${n}`;
  }
  function newBlock(kind) {
    if (kind === "doan") return "Đoạn văn mới.";
    if (kind === "gach") return { gach: ["Dòng mới"] };
    if (kind === "nhiem_vu") return { nhiem_vu: "", id: uniqueId() };
    return { [kind]: "" };
  }

  function renderOutline() {
    const root = document.getElementById("dan-y"); root.textContent = "";
    (doc.noi_dung || []).forEach((b, i) => root.append(block(b, ["noi_dung", i])));
    number();
  }

  function listAt(path) { return dg.getAt(doc, path.slice(0, -1)); }
  function structural() { changed(); renderOutline(); }

  function block(b, path) {
    const kind = kindOf(b);
    const name = dg.formatPath(path);
    const node = dg.el("div", { class: "khoi " + kind, "data-path": name });
    let editor;
    if (kind === "doan") {
      editor = dg.el("textarea", { rows: 2, name });
      editor.value = b;
      editor.addEventListener("input", () => { listAt(path)[path[path.length - 1]] = editor.value; changed(); });
    } else if (kind === "gach" || kind === "dem") {
      editor = dg.el("textarea", { rows: Math.min(8, (b[kind] || []).length + 1), name: name + "." + kind,
        title: "Mỗi dòng một ý bắt đầu bằng '- '; ý con: lùi vào hai dấu cách và bắt đầu bằng '+ '." });
      editor.value = listText(b[kind]);
      editor.addEventListener("input", () => { b[kind] = listFrom(editor.value); changed(); });
    } else {
      editor = dg.el("input", { name: name + "." + kind, placeholder: "Tên " + KIND_NAME[kind].toLowerCase() });
      editor.value = b[kind] || "";
      editor.addEventListener("input", () => { b[kind] = editor.value; changed(); });
    }
    const i = path[path.length - 1];
    const buttons = dg.el("span", { class: "nut-khoi" },
      dg.el("button", { type: "button", class: "nho", title: "Lên trên", text: "↑", onclick: () => move(path, -1) }),
      dg.el("button", { type: "button", class: "nho", title: "Xuống dưới", text: "↓", onclick: () => move(path, 1) }),
      dg.el("button", { type: "button", class: "nho", title: "Ra ngoài một cấp", text: "⇤", onclick: () => outdent(path) }),
      dg.el("button", { type: "button", class: "nho", title: "Vào trong một cấp (thành con của khối trên)", text: "⇥", onclick: () => indent(path) }),
      dg.el("button", { type: "button", class: "nho", title: "Xóa", text: "✕", onclick: () => {
        if (typeof b === "object" && b.noi_dung && b.noi_dung.length && !confirm("Xóa cả các khối con?")) return;
        listAt(path).splice(i, 1); structural(); } }));
    const fieldName = kind in HEADS ? name + "." + kind : (kind === "doan" ? name : name + "." + kind);
    node.append(dg.el("div", { class: "dong-dau" },
      dg.el("span", { class: "so", "data-so": name }), dg.el("span", { class: "kieu", text: KIND_NAME[kind] }),
      dg.el("div", { class: "chinh-sua", "data-field": fieldName }, editor), buttons));
    if (kind === "nhiem_vu") {
      const grid = dg.el("div", { class: "truong-nv" });
      for (const [key, label] of TASK_FIELDS) {
        const multi = key !== "id" && key !== "han";
        const input = dg.el(multi ? "textarea" : "input", { name: name + "." + key, rows: 2 });
        input.value = dg.linesOf(b[key]);
        input.addEventListener("input", () => {
          const lines = multi ? dg.listOf(input.value) : (input.value.trim() ? input.value.trim() : null);
          b[key] = Array.isArray(lines) && lines.length === 1 ? lines[0] : lines;
          if (b[key] === null) delete b[key];
          changed();
        });
        grid.append(dg.el("label", { "data-field": name + "." + key }, label, input));
      }
      node.append(grid);
    }
    if (kind in HEADS) {
      const children = dg.el("div", { class: "con" });
      (b.noi_dung || []).forEach((c, j) => children.append(block(c, [...path, "noi_dung", j])));
      node.append(children);
      const adder = dg.el("select", { "aria-label": "Thêm khối con" },
        dg.el("option", { value: "", text: "+ thêm vào " + KIND_NAME[kind].toLowerCase() + "…" }),
        ["khoan", "diem", "nhiem_vu", "doan", "gach"].map(k => dg.el("option", { value: k, text: KIND_NAME[k] })));
      adder.addEventListener("change", () => {
        if (!adder.value) return;
        (b.noi_dung = b.noi_dung || []).push(newBlock(adder.value)); structural();
      });
      node.append(dg.el("div", { class: "them-con" }, adder));
    }
    return node;
  }

  function move(path, step) {
    const list = listAt(path); const i = path[path.length - 1]; const j = i + step;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j], list[i]]; structural();
  }
  function indent(path) {
    const list = listAt(path); const i = path[path.length - 1];
    const prev = list[i - 1];
    if (i === 0 || typeof prev !== "object" || !Object.keys(HEADS).some(k => k in prev)) {
      dg.notify("Chỉ lùi vào được khi khối ngay trên là mục, khoản, điểm hoặc nhiệm vụ.", true); return;
    }
    (prev.noi_dung = prev.noi_dung || []).push(list.splice(i, 1)[0]); structural();
  }
  function outdent(path) {
    if (path.length < 4) { dg.notify("Khối đã ở cấp ngoài cùng.", true); return; }
    const list = listAt(path); const i = path[path.length - 1];
    const parentPath = path.slice(0, -2); const parent = dg.getAt(doc, parentPath);
    const outer = dg.getAt(doc, parentPath.slice(0, -1)); const k = parentPath[parentPath.length - 1];
    const [b] = list.splice(i, 1);
    if (!list.length) delete parent.noi_dung;
    outer.splice(k + 1, 0, b); structural();
  }
  document.querySelectorAll("[data-them]").forEach(btn => btn.addEventListener("click", () => {
    (doc.noi_dung = doc.noi_dung || []).push(newBlock(btn.dataset.them)); structural();
  }));

  let numbering = 0;
  async function number() {
    const mine = ++numbering;
    const { ok, data } = await dg.api("POST", "/api/ke-hoach/danh-so", { noi_dung: doc.noi_dung || [] });
    if (!ok || mine !== numbering) return;
    document.querySelectorAll("[data-so]").forEach(n => { n.textContent = data.so[n.dataset.so] || ""; });
  }
  document.getElementById("dan-y").addEventListener("input", e => { if (e.target.tagName === "INPUT") number(); });

  // ---- load and save ----
  async function load() {
    await dg.fillFiles(select, tep);
    if (!tep) { if (select.value) { tep = select.value; } else { status.textContent = "Chưa có kế hoạch: tạo ở trang Văn bản."; return; } }
    links();
    if (dg.param("moi")) {
      const probe = await dg.api("GET", "/api/tep?tep=" + encodeURIComponent(tep));
      if (probe.ok) { dg.notify("Tệp đã có: mở tệp để sửa.", true); doc = probe.data.du_lieu; version = probe.data.phien_ban; }
      else { doc = { loai: "ke_hoach", noi_dung: [] }; version = "moi"; status.textContent = "Tệp mới, chưa lưu"; }
    } else {
      const { ok, data } = await dg.api("GET", "/api/tep?tep=" + encodeURIComponent(tep));
      if (!ok) { dg.showErrors(data.loi || [{ dong_lenh: "Lỗi: " + data.thong_bao }], summary); return; }
      doc = data.du_lieu; version = data.phien_ban;
    }
    document.getElementById("bieu-mau").hidden = false;
    renderHeader(); renderOutline();
  }
  function links() {
    const q = encodeURIComponent(tep);
    document.getElementById("tai-docx").href = `/api/tai?tep=${q}&dang=docx`;
    document.getElementById("xem").href = `/xem-truoc?tep=${q}`;
  }
  async function save() {
    if (!doc) return;
    status.textContent = "Đang lưu…";
    const { ok, status: code, data } = await dg.api("POST", "/api/luu", { tep, du_lieu: doc, phien_ban: version });
    if (ok) {
      version = data.phien_ban; dirty = false; status.textContent = data.thong_bao;
      dg.showErrors([], summary); dg.notify(data.thong_bao);
      if (dg.param("moi")) history.replaceState(null, "", "/ke-hoach?tep=" + encodeURIComponent(tep));
    } else {
      status.textContent = code === 409 ? "Không lưu: tệp đã đổi ở nơi khác" : "Chưa lưu: có lỗi";
      dg.showErrors(data.loi || [{ dong_lenh: data.thong_bao }], summary);
      dg.notify(data.thong_bao, true);
    }
  }
  document.getElementById("luu").addEventListener("click", save);
  document.addEventListener("keydown", e => { if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); } });
  load();
})();
