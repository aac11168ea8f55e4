// The previewer's Web Worker: a large body is analysed here, so that typing stays responsive.
import * as api from "../pkg/browser.mjs";
import { analyse, csv } from "./analyse.js";

self.onmessage = ({ data }) => {
  const { id, job, input } = data;
  try {
    const result = job === "csv" ? csv(api, input) : analyse(api, input);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
self.postMessage({ ready: true });
