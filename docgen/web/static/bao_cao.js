// Báo cáo: the period's due tasks with a status and a result each; the counts come from the report's own code.
"use strict";
(function () {
  let tep = dg.param("tep");
  let doc = null, version = null;
  const select = document.getElementById("chon-tep");
  const summary = document.getElementById("tom-tat-loi");
  const status = document.getElementById("trang-thai-luu");
  select.addEventListener("change", () => { location.href = "/bao-cao?tep=" + encodeURIComponent(select.value); });

  let asked = 0, timer = null;
  function recount() { clearTimeout(timer); timer = setTimeout(count, 150); }
  async function count(first) {
    const mine = ++asked;
    const { ok, data } = await dg.api("POST", "/api/bao-cao/thong-ke", { tep, tien_do: doc.tien_do || {} });
    if (mine !== asked) return;
    if (!ok) { dg.showErrors(data.loi || [{ dong_lenh: data.thong_bao }], summary); return; }
    dg.showErrors([], summary);
    for (const [k, v] of Object.entries(data.thong_ke)) document.getElementById("dem-" + k).textContent = v;
    document.getElementById("ky").textContent = `Tiến độ ${data.ky} — theo kế hoạch ${data.ke_hoach}`;
    if (first) rows(data);
    for (const row of data.dong) {
      const tr = document.querySelector(`tr[data-id="${CSS.escape(row.id)}"]`);
      if (!tr) continue;
      tr.classList.toggle("cham", row.cham);
      tr.querySelector(".nhan-cham").textContent = row.cham ? "Chậm tiến độ" : "";
    }
  }
  function rows(data) {
    const body = document.querySelector("#nhiem-vu tbody"); body.textContent = "";
    doc.tien_do = doc.tien_do || {};
    for (const row of data.dong) {
      const entry = () => (doc.tien_do[row.id] = doc.tien_do[row.id] || { trang_thai: "chua_thuc_hien" });
      const choice = dg.el("select", { name: `tien_do.${row.id}.trang_thai` },
        Object.entries(data.trang_thai).map(([v, t]) => dg.el("option", { value: v, text: t })));
      choice.value = row.trang_thai;
      choice.addEventListener("change", () => { entry().trang_thai = choice.value; changed(); recount(); });
      const result = dg.el("textarea", { name: `tien_do.${row.id}.ket_qua`, rows: 2, placeholder: "Kết quả, văn bản đã ban hành…" });
      result.value = row.ket_qua;
      result.addEventListener("input", () => {
        const e = entry(); if (result.value.trim()) e.ket_qua = result.value; else delete e.ket_qua; changed(); recount();
      });
      body.append(dg.el("tr", { "data-id": row.id },
        dg.el("td", { text: row.stt }), dg.el("td", {}, row.ten, dg.el("div", { class: "goi-y", text: row.linh_vuc !== row.ten ? row.linh_vuc : "" })),
        dg.el("td", { text: row.chu_tri }), dg.el("td", { text: row.thoi_han }),
        dg.el("td", { "data-field": `tien_do.${row.id}.trang_thai` }, choice, dg.el("div", { class: "nhan-cham" })),
        dg.el("td", { "data-field": `tien_do.${row.id}.ket_qua` }, result)));
    }
  }
  function changed() { status.textContent = "Chưa lưu"; }
  const OTHER = [
    ["so", "Số (để trống khi là dự thảo)", ""], ["ngay_ban_hanh", "Ngày ban hành (YYYY-MM-DD hoặc DD/MM/YYYY)", ""],
    ["kinh_gui", "Kính gửi (mỗi dòng một nơi)", "Sở Nội vụ tỉnh …", "dong"],
    ["chi_dao", "I. Công tác chỉ đạo, điều hành: các ý thêm (mỗi dòng một đoạn)", "", "dong"],
    ["danh_gia.uu_diem", "Đánh giá: ưu điểm (mỗi dòng một ý)", "", "dong"],
    ["danh_gia.han_che", "Đánh giá: tồn tại, hạn chế", "", "dong"], ["danh_gia.nguyen_nhan", "Đánh giá: nguyên nhân", "", "dong"],
    ["phuong_huong", "Phương hướng kỳ tới: các ý thêm (nhiệm vụ chậm và đến hạn kỳ tới docgen tự liệt kê)", "", "dong"],
    ["kien_nghi", "Đề xuất, kiến nghị", "", "dong"], ["noi_nhan", "Nơi nhận (mỗi dòng một nơi)", "", "dong"],
    ["luu", "Lưu", "VT\nVP", "dong"],
  ];
  function renderOther() {
    const box = document.getElementById("truong-khac"); box.textContent = "";
    for (const f of OTHER) box.append(dg.field(doc, f[0], f[1], f[2], f[3], null, changed));
    document.getElementById("phan-khac").hidden = false;
  }

  // a report for a new period
  const newPlan = document.getElementById("ke-hoach-moi");
  const newKy = document.getElementById("ky-bao-cao");
  const newName = document.getElementById("tep-moi");
  function suggest() {
    const year = (newPlan.value.match(/(19|20)\d\d/) || [""])[0];
    const dir = newPlan.value.includes("/") ? newPlan.value.slice(0, newPlan.value.lastIndexOf("/") + 1) : "";
    newName.value = `${dir}bao_cao_${year ? year + "_" : ""}${newKy.value}.yaml`;
  }
  newPlan.addEventListener("change", suggest); newKy.addEventListener("change", suggest);
  document.getElementById("form-ky-moi").addEventListener("submit", async e => {
    e.preventDefault();
    const { ok, data } = await dg.api("POST", "/api/bao-cao/moi", { ke_hoach: newPlan.value, ky: newKy.value, tep: newName.value });
    if (ok) { location.href = "/bao-cao?tep=" + encodeURIComponent(data.tep); return; }
    dg.showErrors(data.loi || [{ dong_lenh: "Lỗi: " + data.thong_bao }], summary); dg.notify(data.thong_bao, true);
  });
  dg.fillFiles(newPlan).then(suggest);

  async function load() {
    await dg.fillFiles(select, tep);
    if (!tep) tep = select.value;
    if (!tep) { status.textContent = "Thư mục chưa có báo cáo: tạo ở mục Báo cáo kỳ mới."; document.getElementById("ky-moi").open = true; return; }
    const q = encodeURIComponent(tep);
    document.getElementById("tai-docx").href = `/api/tai?tep=${q}&dang=docx`;
    document.getElementById("xem").href = `/xem-truoc?tep=${q}`;
    const { ok, data } = await dg.api("GET", "/api/tep?tep=" + q);
    if (!ok) { dg.showErrors(data.loi || [{ dong_lenh: data.thong_bao }], summary); return; }
    doc = data.du_lieu; version = data.phien_ban;
    await count(true);
    renderOther();
  }
  async function save() {
    status.textContent = "Đang lưu…";
    const { ok, status: code, data } = await dg.api("POST", "/api/luu", { tep, du_lieu: doc, phien_ban: version });
    if (ok) { version = data.phien_ban; status.textContent = data.thong_bao; dg.showErrors([], summary); dg.notify(data.thong_bao); }
    else {
      status.textContent = code === 409 ? "Không lưu: tệp đã đổi ở nơi khác" : "Chưa lưu: có lỗi";
      dg.showErrors(data.loi || [{ dong_lenh: data.thong_bao }], summary); dg.notify(data.thong_bao, true);
    }
  }
  document.getElementById("luu").addEventListener("click", save);
  document.addEventListener("keydown", e => { if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); } });
  load();
})();
