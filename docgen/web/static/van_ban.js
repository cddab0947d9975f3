"use strict";
(async function () {
  const body = document.querySelector("#danh-sach tbody");
  const { ok, data } = await dg.api("GET", "/api/van-ban");
  body.textContent = "";
  if (!ok) { body.append(dg.el("tr", {}, dg.el("td", { colspan: 5, text: data.thong_bao }))); return; }
  if (!data.van_ban.length) body.append(dg.el("tr", {}, dg.el("td", { colspan: 5, text: "Thư mục chưa có tệp nguồn (.yaml)." })));
  for (const f of data.van_ban) {
    const state = f.loai === "bang" ? dg.el("span", { class: "goi-y", text: "—" }) : f.loi.length
      ? dg.el("span", { class: "trang-thai khong-hop-le", title: f.loi.map(p => p.dong_lenh).join("\n"), text: `${f.loi.length} lỗi` })
      : dg.el("span", { class: "trang-thai hop-le", text: "hợp lệ" });
    const todo = f.todo ? dg.el("span", { class: "trang-thai can-xem", text: ` · ${f.todo} TODO cần xem lại` }) : null;
    const q = encodeURIComponent(f.tep);
    const page = { ke_hoach: "/ke-hoach", bao_cao: "/bao-cao" }[f.loai];
    const actions = dg.el("td", { class: "nut-khoi" },
      page ? dg.el("a", { class: "nut", href: `${page}?tep=${q}`, text: "Mở" }) : null, " ",
      page ? dg.el("a", { class: "nut", href: `/xem-truoc?tep=${q}`, text: "Xem trước" }) : null, " ",
      page ? dg.el("a", { class: "nut", href: `/api/tai?tep=${q}&dang=docx`, download: "", text: "Tải .docx" }) : null, " ",
      page ? dg.el("button", { type: "button", onclick: () => pdf(f.tep), text: "Tải .pdf" }) : null, " ",
      dg.el("a", { class: "nut", href: `/api/tai?tep=${q}&dang=goc`, download: "", text: "Tải nguồn" }));
    body.append(dg.el("tr", { "data-tep": f.tep },
      dg.el("td", {}, dg.el("code", { text: f.tep })), dg.el("td", { text: f.ten_loai || f.loai || "?" }),
      dg.el("td", { text: f.tieu_de }), dg.el("td", {}, state, todo), actions));
  }
  async function pdf(tep) {
    const url = `/api/tai?tep=${encodeURIComponent(tep)}&dang=pdf`;
    dg.notify("Đang tạo PDF (LibreOffice)…");
    for (let i = 0; i < 120; i++) {
      const response = await fetch(url);
      if (response.status === 200) { location.href = url; dg.notify("Đã tạo PDF."); return; }
      if (response.status !== 202) { const d = await response.json(); dg.notify((d.loi || []).map(p => p.dong_lenh).join("\n") || d.thong_bao, true); return; }
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  document.getElementById("ke-hoach-moi").addEventListener("click", () => {
    const name = prompt("Tên tệp kế hoạch mới (trong thư mục làm việc), ví dụ ke_hoach_2025.yaml:", "ke_hoach_moi.yaml");
    if (name) location.href = `/ke-hoach?tep=${encodeURIComponent(name.endsWith(".yaml") ? name : name + ".yaml")}&moi=1`;
  });
})();
