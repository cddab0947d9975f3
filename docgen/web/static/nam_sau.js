// Năm sau: rollover, then its change list and the places a person has to decide.
"use strict";
(function () {
  const form = document.getElementById("form-nam-sau");
  const out = document.getElementById("ket-qua");
  const plan = document.getElementById("chon-tep");
  (async () => {
    const plans = await dg.fillFiles(plan, dg.param("tep"));
    const reports = await dg.fillFiles(document.getElementById("bao-cao"));
    const guess = () => { const m = (plan.value.match(/(19|20)\d\d/) || [])[0]; if (m) document.getElementById("nam").value = +m + 1; };
    plan.addEventListener("change", guess); guess();
    return [plans, reports];
  })();
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const body = { tep: plan.value, nam: document.getElementById("nam").value, bao_cao: document.getElementById("bao-cao").value || null,
      ghi_de: document.getElementById("ghi-de").checked };
    out.textContent = "Đang soạn…";
    const { ok, data } = await dg.api("POST", "/api/nam-sau", body);
    out.textContent = "";
    if (!ok) { out.append(dg.el("div", { class: "hop-loi", text: (data.loi || []).map(p => p.dong_lenh).join("\n") || data.thong_bao })); return; }
    const q = encodeURIComponent(data.tep);
    out.append(dg.el("h2", { text: `Đã ghi ${data.tep} (tệp cũ không đổi)` }),
      dg.el("p", {}, dg.el("a", { class: "nut", href: `/ke-hoach?tep=${q}`, text: "Mở kế hoạch mới" }), " ",
        dg.el("a", { class: "nut", href: `/xem-truoc?tep=${q}`, text: "Xem trước" })));
    out.append(dg.el("h3", { text: `Cần xem lại (${data.xem_lai.length}) — đã ghi "# TODO(rollover)" trong tệp mới` }));
    out.append(dg.el("table", { class: "bang" }, dg.el("tbody", {}, data.xem_lai.map(f =>
      dg.el("tr", {}, dg.el("td", { text: "dòng " + f.dong }), dg.el("td", {}, dg.el("code", { text: f.truong })), dg.el("td", { text: f.ly_do }))))));
    if (data.chuyen_tiep.length) out.append(dg.el("p", { text: `Chuyển tiếp (${data.chuyen_tiep.length}): ${data.chuyen_tiep.join(", ")}` }));
    out.append(dg.el("h3", { text: `Thay đổi (${data.thay_doi.length})` }));
    out.append(dg.el("table", { class: "bang" }, dg.el("thead", {}, dg.el("tr", {}, ["Dòng", "Trường", "Cũ", "Mới"].map(t => dg.el("th", { text: t })))),
      dg.el("tbody", {}, data.thay_doi.map(c => dg.el("tr", {}, dg.el("td", { text: c.dong }), dg.el("td", {}, dg.el("code", { text: c.truong })),
        dg.el("td", { text: c.cu }), dg.el("td", { text: c.moi }))))));
    out.append(dg.el("p", { class: "goi-y", text: `Giữ nguyên ${data.giu_nguyen} chỗ có năm của văn bản trích dẫn, giai đoạn, tiêu chuẩn.` }));
  });
})();
