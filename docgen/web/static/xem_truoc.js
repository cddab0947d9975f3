// Xem trước: page images made in the background (one LibreOffice at a time) and check's verdicts beside them.
"use strict";
(function () {
  let tep = dg.param("tep");
  const select = document.getElementById("chon-tep");
  const state = document.getElementById("trang-thai");
  const pages = document.getElementById("trang-anh");
  const verdicts = document.getElementById("ket-qua-kiem-tra");
  select.addEventListener("change", () => { location.href = "/xem-truoc?tep=" + encodeURIComponent(select.value); });
  let shown = "";

  async function poll() {
    const { ok, data } = await dg.api("GET", "/api/xem-truoc?tep=" + encodeURIComponent(tep));
    if (!ok) { state.textContent = data.thong_bao; return; }
    const stale = data.phien_ban !== data.phien_ban_tep;
    if (data.trang_thai === "chua_co" || (stale && !["cho", "dang_tao"].includes(data.trang_thai) && data.trang_thai !== "loi")) {
      await dg.api("POST", "/api/xem-truoc", { tep });
      state.textContent = "Đang tạo bản xem trước…";
    } else if (data.trang_thai === "cho" || data.trang_thai === "dang_tao") {
      state.textContent = "Đang tạo bản xem trước (LibreOffice)…";
    } else if (data.trang_thai === "loi") {
      state.textContent = "Không tạo được bản xem trước.";
      verdicts.textContent = data.loi.join("\n");
    } else {
      state.textContent = `${data.so_trang} trang · tạo trong ${data.giay.toLocaleString("vi-VN")} giây`;
      if (shown !== data.phien_ban) { show(data); shown = data.phien_ban; }
    }
    setTimeout(poll, data.trang_thai === "xong" && !stale ? 3000 : 700);
  }
  function show(data) {
    pages.textContent = "";
    for (let i = 1; i <= data.so_trang; i++) {
      pages.append(dg.el("img", { src: `/api/xem-truoc/trang?tep=${encodeURIComponent(tep)}&so=${i}&v=${data.phien_ban}`, alt: `Trang ${i}` }));
    }
    verdicts.textContent = "";
    const order = { "KHÔNG ĐẠT": 0, "KHÔNG ĐÁNH GIÁ": 1, "ĐẠT": 2 };
    const cls = { "ĐẠT": "dat", "KHÔNG ĐẠT": "khong-dat", "KHÔNG ĐÁNH GIÁ": "khong-danh-gia" };
    const counts = {};
    for (const f of [...data.kiem_tra].sort((a, b) => order[a.trang_thai] - order[b.trang_thai])) {
      counts[f.trang_thai] = (counts[f.trang_thai] || 0) + 1;
      verdicts.append(dg.el("div", { class: "kq " + cls[f.trang_thai], title: [f.tim_thay && "thấy: " + f.tim_thay, f.can && "cần: " + f.can].filter(Boolean).join("\n") },
        dg.el("b", { text: f.trang_thai }), " ", f.ten));
    }
    verdicts.prepend(dg.el("p", { text: Object.entries(counts).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(", ") }));
  }
  document.getElementById("tao-lai").addEventListener("click", async () => {
    await dg.api("POST", "/api/xem-truoc", { tep }); state.textContent = "Đang tạo bản xem trước…";
  });
  (async () => {
    await dg.fillFiles(select, tep);
    if (!tep) tep = select.value;
    if (tep) poll(); else state.textContent = "Thư mục chưa có văn bản.";
  })();
})();
