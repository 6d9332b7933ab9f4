/** Registration, log-in, throttling of failed log-ins, and who may see what. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common"})
package org.bookstore.store.accounts;
