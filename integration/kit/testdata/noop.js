function handler(webhook) {
  return webhook;
}
