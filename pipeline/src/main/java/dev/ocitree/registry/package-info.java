/**
 * Pulling images from, and pushing them to, OCI distribution registries with reactor-netty's
 * {@code HttpClient}.
 *
 * <p>{@link dev.ocitree.registry.RegistrySource} is the {@link dev.ocitree.oci.OciSource} of
 * {@code docker://HOST[:PORT]/NAME[:TAG|@DIGEST]} (and bootc's {@code ostree-unverified-registry:} /
 * {@code ostree-unverified-image:} spellings): it fetches the manifest with the Accept list of OCI
 * and Docker schema 2 types, checks its digest, descends indexes by platform, fetches and checks the
 * config, and streams each blob as {@code Flux<ByteBuf>} straight from the socket (backpressure
 * turns socket reads off; a cut-off blob resumes with a {@code Range} request). Authentication
 * (anonymous, Basic, Bearer tokens from a {@code WWW-Authenticate} challenge) and credentials
 * (containers-auth.json files, {@code --creds}) are resolved per registry; {@link
 * dev.ocitree.registry.RegistryOptions} holds TLS, credentials and retry settings. Named OCI remotes
 * live in the repository config ({@link dev.ocitree.registry.OciRemotes}).
 *
 * <p>{@link dev.ocitree.registry.RegistryPush} pushes to {@code docker://HOST/NAME[:TAG|@DIGEST]}:
 * {@code HEAD} of known blobs, cross-repository mounts, uploads streamed as one monolithic
 * {@code PUT} or {@code PATCH} chunks with {@code Content-Range} and a closing {@code PUT}, and the
 * manifest {@code PUT} last; {@code ocitree export} uses it for {@code docker://} destinations.
 *
 * <p>Failures are {@link dev.ocitree.registry.RegistryException}s naming the registry, repository,
 * object, HTTP status and the registry's error codes; credentials never appear in messages.
 */
package dev.ocitree.registry;
