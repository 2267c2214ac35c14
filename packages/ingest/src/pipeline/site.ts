/** A tracked site, as the collection endpoints need it. */
export interface CollectSite {
  /** sites.id: goes into `context.siteId` and into every visitor id. */
  id: string;
  workspaceId: string;
  /** The public key the tracker sends as `site`; also the site's Segment write key. */
  key: string;
  /** Hostname, lower case, in punycode. */
  domain: string;
}

/**
 * Site keys resolved from memory: the collection endpoints look every request's
 * key up here, so an unknown key is refused without a database query. The
 * server's implementation (`SiteDirectory`) loads every site at start and
 * reloads on change and periodically.
 */
export interface SiteKeyCache {
  byKey(key: string): CollectSite | undefined;
}
