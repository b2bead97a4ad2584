/**
 * Shared access signatures for Azure Blob Storage: service SAS (blob, container, directory), account
 * SAS and user delegation SAS, each producing a {@link dev.latchkey.credentials.SasToken}.
 */
package dev.latchkey.azure.sas;
