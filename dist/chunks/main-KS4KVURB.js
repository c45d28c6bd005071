import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-LJRAL54E.js";
import {
  post
} from "./chunk-BAUJARYT.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-7TJGE46X.js";
import "./chunk-B7DKKYTP.js";
import "./chunk-SE6E655C.js";
import "./chunk-UPZ66O24.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-URGTF424.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-KS4KVURB.js.map
