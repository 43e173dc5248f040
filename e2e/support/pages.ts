/** The value of a hidden form field on one of the gateway's HTML pages (the login and consent forms). */
export const hiddenField = (page: string, name: string): string => {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(page);
  if (!match) throw new Error(`no ${name} in the page:\n${page}`);
  return match[1];
};
