/**
 * What every part of the store shares: {@link org.bookstore.store.common.Money}, the page layout and error pages.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.bookstore.store.common;
