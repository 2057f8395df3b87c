/** A client's token (fixed, from a provider, or none) as the channel offers it. */
export class Credentials {
    spec;
    token;
    provider;
    constructor(spec, token, tokenProvider) {
        this.spec = spec;
        this.token = token;
        if (token !== null && tokenProvider !== null) {
            throw new TypeError("pass either token or tokenProvider, not both");
        }
        if ((token !== null || tokenProvider !== null) && !spec.tokenSubprotocolPrefix) {
            throw new TypeError("this channel takes no token");
        }
        this.provider = tokenProvider;
    }
    /** What to offer on a new connection (the provider is called each time). */
    async subprotocols() {
        const offered = [...(this.spec.subprotocols ?? [])];
        const token = this.provider ? await this.provider() : this.token;
        const prefix = this.spec.tokenSubprotocolPrefix;
        if (token !== null && prefix)
            offered.push(prefix + token);
        return offered;
    }
    /** Whether a close with `code` is worth a new connection with a fresh token. */
    renews(code) {
        return this.provider !== null && (this.spec.renewals ?? []).includes(code);
    }
}
/**
 * Why the subprotocol the server selected (`""`: none) is not acceptable, or `null` if it is.
 * The server may select one the channel offers to opt in, or none (an older server).
 */
export function selectionProblem(spec, selected) {
    if (selected === "" || (spec.subprotocols ?? []).includes(selected))
        return null;
    return "the server selected a subprotocol the client does not speak";
}
