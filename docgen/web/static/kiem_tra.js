// Kiểm tra: send one .docx, show check's rules for it.
"use strict";
(function () {
  const zone = document.getElementById("vung-tha");
  const out = document.getElementById("ket-qua");
  const input = document.getElementById("chon");
  async function send(file) {
    out.textContent = "";
    if (!file.name.toLowerCase().endsWith(".docx")) { dg.notify("Chỉ nhận tệp Word .docx.", true); return; }
    if (file.size > window.GIOI_HAN) { dg.notify(`Tệp lớn hơn giới hạn ${window.GIOI_HAN / 1048576} MB.`, true); return; }
    out.textContent = "Đang kiểm tra…";
    const { ok, data } = await dg.api("POST", "/api/kiem-tra", undefined,
      { body: file, headers: { "Content-Type": "application/octet-stream", "X-Ten-Tep": encodeURIComponent(file.name) } });
    out.textContent = "";
    if (!ok) { out.append(dg.el("div", { class: "hop-loi", text: (data.loi || []).map(p => p.dong_lenh).join("\n") || data.thong_bao })); return; }
    out.append(dg.el("h2", { text: `${data.tep}: ${data.dem["ĐẠT"]} đạt, ${data.dem["KHÔNG ĐẠT"]} không đạt, ${data.dem["KHÔNG ĐÁNH GIÁ"]} không đánh giá` }));
    const body = dg.el("tbody");
    for (const f of data.ket_qua) {
      const cls = { "ĐẠT": "hop-le", "KHÔNG ĐẠT": "khong-hop-le", "KHÔNG ĐÁNH GIÁ": "can-xem" }[f.trang_thai];
      body.append(dg.el("tr", {}, dg.el("td", { class: "trang-thai " + cls, text: f.trang_thai }), dg.el("td", { text: f.ten }),
        dg.el("td", { text: f.tim_thay || "" }), dg.el("td", { text: f.trang_thai !== "ĐẠT" ? (f.can || "") : "" }),
        dg.el("td", { text: f.doan ? "«" + f.doan.slice(0, 80) + "»" : "" })));
    }
    out.append(dg.el("table", { class: "bang" }, dg.el("thead", {}, dg.el("tr", {},
      ["Kết quả", "Quy tắc", "Thấy", "Cần", "Đoạn"].map(t => dg.el("th", { text: t })))), body));
  }
  input.addEventListener("change", () => { if (input.files[0]) send(input.files[0]); });
  zone.addEventListener("dragover", e => { e.preventDefault(); zone.classList.add("keo"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("keo"));
  zone.addEventListener("drop", e => { e.preventDefault(); zone.classList.remove("keo"); if (e.dataTransfer.files[0]) send(e.dataTransfer.files[0]); });
})();
