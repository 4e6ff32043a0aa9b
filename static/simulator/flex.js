/* Draws LINE messages the bot sends: text, images, stickers, locations, Flex and templates.
   `drawMessage(message, onTap)` returns a DOM node; buttons call onTap(action). */
"use strict";

const FLEX_SIZES = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35, "4xl": 48, "5xl": 74 };
const FLEX_GAPS = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
/* Stickers are drawn as words: LINE's sticker images are not on this machine, nor is a colour emoji font. */
const STICKERS = { 1988: "สวัสดี", 1989: "ขอบคุณ", 1990: "รับทราบ", 1991: "เสียใจด้วย" };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/* Text with its http(s) links clickable, as LINE shows them. */
function linkified(className, text) {
  const node = el("div", className);
  String(text || "").split(/(https?:\/\/[^\s]+)/).forEach((part, index) => {
    if (index % 2) {
      const link = el("a", null, part);
      link.href = part;
      link.target = "_blank";
      link.rel = "noopener";
      node.append(link);
    } else if (part) {
      node.append(document.createTextNode(part));
    }
  });
  return node;
}

function px(value, table) {
  if (value === undefined || value === null) return null;
  if (table && value in table) return `${table[value]}px`;
  return /^\d+(\.\d+)?(px|%)$/.test(String(value)) ? String(value) : null;
}

function tappable(node, action, onTap) {
  if (!action || action._tap === undefined) { node.disabled = true; return node; }
  node.addEventListener("click", () => onTap(action));
  return node;
}

function drawText(node) {
  const text = el("div", `flex-text ${node.wrap ? "wrap" : "nowrap"}`);
  if (Array.isArray(node.contents) && node.contents.length) {
    for (const span of node.contents) {
      const s = el("span", null, span.text);
      if (span.weight === "bold") s.style.fontWeight = "700";
      if (span.color) s.style.color = span.color;
      if (px(span.size, FLEX_SIZES)) s.style.fontSize = px(span.size, FLEX_SIZES);
      text.append(s);
    }
  } else {
    text.textContent = node.text || "";
  }
  text.style.fontSize = px(node.size, FLEX_SIZES) || "15px";
  if (node.weight === "bold") text.style.fontWeight = "700";
  if (node.color) text.style.color = node.color;
  if (node.align) text.style.textAlign = { start: "left", end: "right", center: "center" }[node.align] || "left";
  if (node.style === "italic") text.style.fontStyle = "italic";
  if (node.decoration === "line-through") text.style.textDecoration = "line-through";
  if (node.decoration === "underline") text.style.textDecoration = "underline";
  return text;
}

function drawButton(node, onTap) {
  const button = el("button", `flex-button ${node.style || "link"} ${node.height === "sm" ? "sm" : ""}`,
                    (node.action && node.action.label) || "");
  button.type = "button";
  if (node.color) button.style[node.style === "link" || !node.style ? "color" : "backgroundColor"] = node.color;
  return tappable(button, node.action, onTap);
}

function drawImage(node) {
  const img = el("img", "flex-image");
  img.src = node.url || "";
  img.alt = "ภาพ";
  if (node.aspectRatio && /^\d+(\.\d+)?:\d+(\.\d+)?$/.test(node.aspectRatio)) {
    img.style.aspectRatio = node.aspectRatio.replace(":", " / ");
    img.style.width = "100%";
  }
  if (node.aspectMode === "fit") img.style.objectFit = "contain";
  return img;
}

function drawBox(node, onTap) {
  const box = el("div", `flex-box ${node.layout || "vertical"}`);
  box.style.gap = px(node.spacing, FLEX_GAPS) || "0px";
  if (node.backgroundColor) box.style.backgroundColor = node.backgroundColor;
  if (node.cornerRadius) box.style.borderRadius = px(node.cornerRadius, FLEX_GAPS) || "0px";
  if (node.borderColor) box.style.border = `1px solid ${node.borderColor}`;
  for (const side of ["All", "Top", "Bottom", "Start", "End"]) {
    const value = px(node[`padding${side}`], FLEX_GAPS);
    if (!value) continue;
    if (side === "All") box.style.padding = value;
    else box.style[`padding${{ Start: "Left", End: "Right" }[side] || side}`] = value;
  }
  for (const child of node.contents || []) box.append(drawComponent(child, onTap, node.layout || "vertical"));
  return box;
}

function drawComponent(node, onTap, parentLayout) {
  const kinds = {
    box: () => drawBox(node, onTap),
    text: () => drawText(node),
    button: () => drawButton(node, onTap),
    image: () => drawImage(node),
    icon: () => drawImage(node),
    separator: () => el("hr", "flex-separator"),
    filler: () => el("div"),
    spacer: () => el("div"),
    video: () => el("div", "unknown", "วิดีโอ"),
  };
  const drawn = (kinds[node.type] || (() => el("div", "unknown", `(${node.type})`)))();
  if (node.type === "separator" && node.color) drawn.style.borderTopColor = node.color;
  if (node.type === "filler" || node.flex !== undefined) drawn.style.flex = String(node.flex ?? 1);
  else if (parentLayout !== "vertical") drawn.style.flex = "1 1 0";
  const margin = px(node.margin, FLEX_GAPS);
  if (margin) drawn.style[parentLayout === "vertical" ? "marginTop" : "marginLeft"] = margin;
  return drawn;
}

function drawBubble(bubble, onTap) {
  const card = el("div", `flex-bubble ${bubble.size || "mega"}`);
  const styles = bubble.styles || {};
  for (const part of ["header", "hero", "body", "footer"]) {
    if (!bubble[part]) continue;
    const section = el("div", `flex-section ${part}`);
    if (styles[part] && styles[part].backgroundColor) section.style.backgroundColor = styles[part].backgroundColor;
    if (bubble[part].backgroundColor) section.style.backgroundColor = bubble[part].backgroundColor;
    section.append(drawComponent(bubble[part], onTap, "vertical"));
    card.append(section);
  }
  return card;
}

function drawFlex(message, onTap) {
  const contents = message.contents || {};
  if (contents.type !== "carousel") return drawBubble(contents, onTap);
  const row = el("div", "flex-carousel");
  for (const bubble of contents.contents || []) row.append(drawBubble(bubble, onTap));
  return row;
}

function actionButtons(actions, onTap, confirm) {
  const row = el("div", `actions ${confirm ? "confirm" : ""}`);
  for (const action of actions || []) {
    const button = el("button", null, action.label || "");
    button.type = "button";
    row.append(tappable(button, action, onTap));
  }
  return row;
}

function drawTemplateCard(column, actions, onTap, confirm) {
  const card = el("div", "template");
  const image = column.thumbnailImageUrl || column.imageUrl;
  if (image) card.append(drawImage({ url: image, aspectRatio: "20:13" }));
  const body = el("div", "body");
  if (column.title) body.append(el("div", "title", column.title));
  if (column.text) body.append(el("div", null, column.text));
  card.append(body, actionButtons(actions, onTap, confirm));
  return card;
}

function drawTemplate(message, onTap) {
  const t = message.template || {};
  if (t.type === "carousel" || t.type === "image_carousel") {
    const row = el("div", "flex-carousel");
    for (const column of t.columns || []) {
      row.append(drawTemplateCard(column, column.actions || (column.action ? [column.action] : []), onTap));
    }
    return row;
  }
  return drawTemplateCard(t, t.actions, onTap, t.type === "confirm");
}

function drawImageMessage(message, contentUrl) {
  const link = el("a");
  const img = el("img", "photo");
  if (message.contentId) {
    img.src = link.href = contentUrl(message.contentId);
  } else {
    img.src = message.previewImageUrl || message.originalContentUrl || "";
    link.href = message.originalContentUrl || img.src;
  }
  img.alt = "รูปภาพ";
  link.target = "_blank";
  link.append(img);
  return link;
}

function drawLocation(message) {
  const card = el("div", "location");
  card.append(el("span", "pin", "ตำแหน่ง: "), el("strong", null, message.title || "ตำแหน่งที่ตั้ง"));
  if (message.address) card.append(el("div", null, message.address));
  card.append(el("small", null, `${message.latitude}, ${message.longitude}`));
  return card;
}

function drawProblem(message) {
  const box = el("div", "refused");
  box.append(el("strong", null, `LINE ปฏิเสธข้อความนี้ (${message.status} ${message.path}): ${message.message}`));
  const list = el("ul");
  for (const problem of message.problems || []) list.append(el("li", null, problem));
  box.append(list);
  return box;
}

/* One message as a node: the bubble's content (the caller wraps it in a row). */
function drawMessage(message, onTap, contentUrl) {
  switch (message.type) {
    case "text":
    case "textV2":
      return linkified("bubble", message.text);
    case "image":
      return wrap("media", drawImageMessage(message, contentUrl));
    case "sticker": {
      const sticker = el("div", "sticker", STICKERS[message.stickerId] || "สติกเกอร์");
      sticker.append(el("small", null, `สติกเกอร์ ${message.packageId}/${message.stickerId}`));
      return wrap("media", sticker);
    }
    case "location":
      return wrap("media", drawLocation(message));
    case "flex":
      return wrap("flex-message", drawFlex(message, onTap));
    case "template":
      return wrap("flex-message", drawTemplate(message, onTap));
    case "problem":
      return drawProblem(message);
    default:
      return el("div", "bubble unknown", message.altText || `(ข้อความประเภท ${message.type})`);
  }
}

function wrap(kind, child) {
  const bubble = el("div", `bubble ${kind}`);
  bubble.append(child);
  return bubble;
}
