/**
 * The database connection: the pool, bounded connection checks ({@code DatabaseProbe}) and the
 * {@code DatabaseError} family that names what went wrong without the password.
 *
 * <p>May use: config.
 */
package io.dbbinding.db;
